package io.sluice.exports.api;

import io.sluice.exports.app.ExportService;
import io.sluice.platform.problem.Problems;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code GET /export/<token>}: an export link's download, without login. */
@WebServlet(urlPatterns = "/export/*")
public class ExportDownloadServlet extends HttpServlet {

  @Inject ExportService exports;

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
    String token = req.getPathInfo() == null ? "" : req.getPathInfo().substring(1);
    try {
      ExportService.Download d = exports.download(token, req.getRemoteAddr());
      res.setContentType(d.mediaType());
      res.setHeader("Content-Disposition", "attachment; filename=\"" + d.fileName() + "\"");
      res.getOutputStream().write(d.body());
    } catch (ExportService.Refused refused) {
      res.setStatus(refused.status);
      res.setContentType(Problems.MEDIA_TYPE);
      res.setCharacterEncoding("UTF-8");
      res.getWriter()
          .write(
              Problems.body(
                  refused.status,
                  Problems.type(refused.status),
                  Problems.title(refused.status),
                  refused.getMessage(),
                  null));
    }
  }
}
