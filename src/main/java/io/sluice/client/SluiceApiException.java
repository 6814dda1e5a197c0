package io.sluice.client;

/** The server answered with a status outside 2xx; {@link #problem()} is what it said. */
public class SluiceApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final transient Problem problem;

  public SluiceApiException(int status, Problem problem) {
    super(
        "HTTP "
            + status
            + ": "
            + problem.title()
            + (problem.detail() == null ? "" : ": " + problem.detail()));
    this.status = status;
    this.problem = problem;
  }

  /** The HTTP status of the answer. */
  public int status() {
    return status;
  }

  /** The problem document (synthesised from the status when the body was not one). */
  public Problem problem() {
    return problem;
  }
}
