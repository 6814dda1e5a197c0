package io.sluice.engine.tunnel;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Coverage-guided fuzzing of {@link FrameCodec#decode} (Jazzer). Invariants for every input, in
 * both authentication states: decode returns (never throws); an accepted frame re-encodes to
 * exactly the input bytes; an error carries 1002/1008/1009 and a reason of at most 123 bytes. Plain
 * {@code mvn test} runs only the empty input (no seed corpus is checked in); to fuzz:
 *
 * <pre>
 * JAZZER_FUZZ=1 mvn -o -B test -Dtest='FrameCodecFuzzTest' -Djazzer.max_duration=60s
 * </pre>
 */
class FrameCodecFuzzTest {

  private static final FrameCodec CODEC = new FrameCodec(FrameCodec.MIN_MAX_PAYLOAD * 2);

  @FuzzTest(maxDuration = "2m")
  void decode(byte[] input) {
    for (boolean auth : new boolean[] {false, true}) {
      DecodeResult r = CODEC.decode(ByteBuffer.wrap(input), auth);
      switch (r) {
        case DecodeResult.Ok ok -> {
          ByteBuffer again = CODEC.encode(ok.frame());
          byte[] b = new byte[again.remaining()];
          again.get(b);
          if (!Arrays.equals(b, input))
            throw new AssertionError("re-encoding differs for " + ok.frame());
        }
        case DecodeResult.Error e -> {
          if (e.reason().getBytes(StandardCharsets.UTF_8).length > 123)
            throw new AssertionError("reason too long");
        }
      }
    }
  }
}
