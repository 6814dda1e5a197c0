package io.sluice.exits.infra;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EchoBodyTest {

  static String ip(String body) {
    return EchoBody.ip(body);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      value = {
        "1.2.3.4|1.2.3.4",
        "'  1.2.3.4\r\n'|1.2.3.4",
        "::1|::1",
        "2001:DB8::0:1|2001:db8::1",
        "{\"ip\":\"1.2.3.4\"}|1.2.3.4",
        "'{ \"ip\" :\t\" 1.2.3.4 \" }\n'|1.2.3.4",
        "{\"country\":\"NL\",\"ip\":\"198.51.100.9\",\"asn\":{\"id\":1,\"n\":[1.5e3,true,null]}}|198.51.100.9",
        "{\"origin\":\"1.2.3.4\"}|1.2.3.4",
        "{\"origin\":\"1.2.3.4, 10.0.0.1\"}|1.2.3.4",
        "{\"ip\":\"\\u0031.2.3.4\"}|1.2.3.4",
        "{\"proxy\":{\"ip\":\"203.0.113.7\"},\"isp\":{\"isp\":\"X\"},\"city\":{\"name\":\"Y\"}}|203.0.113.7",
        "{\"browser\":{\"name\":\"curl\"},\"proxy\":{\"ip\":\"2001:db8::7\"}}|2001:db8::7",
        "{\"ip\":\"nope\",\"proxy\":{\"ip\":\"1.2.3.4\"}}|1.2.3.4",
        "{\"ip\":\"5.6.7.8\",\"proxy\":{\"ip\":\"1.2.3.4\"}}|5.6.7.8",
        "{\"status\":\"success\",\"country\":\"DE\",\"query\":\"198.51.100.20\"}|198.51.100.20",
        "{\"ip_addr\":\"198.51.100.21\",\"user_agent\":\"curl\"}|198.51.100.21",
      })
  void realEchoes(String body, String expected) {
    assertThat(ip(body)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "<html><body>1.2.3.4</body></html>",
        "1.2.3.4 5.6.7.8",
        "1.2.3.4/24",
        "1.2.3",
        "0x7f.1",
        "127.1",
        "*",
        "1.2.3.*",
        "1.2.3.4-5",
        "01.2.3.4",
        "localhost",
        "{\"ip\":\"nope\"}",
        "{\"ip\":1234}",
        "{\"ip\":\"1.2.3.4\"",
        "{\"ip\":\"1.2.3.4\"} trailing",
        "[\"1.2.3.4\"]",
        "{\"address\":\"1.2.3.4\"}",
        "{\"ip\":\"1.2.3.4\",}",
        "{'ip':'1.2.3.4'}",
        "{\"ip\":\"1.2.3.4\"}{}",
        "[{\"ip\":\"1.2.3.4\"}]",
        "{\"ip\":\"1.2.3.4\",\"ip\":}",
        "{\"proxy\":\"1.2.3.4\"}",
        "{\"proxy\":{\"ip\":1234}}",
        "{\"proxy\":{\"address\":\"1.2.3.4\"}}",
        "{\"query\":\"example.com\"}",
        "{\"data\":{\"ip\":\"1.2.3.4\"}}"
      })
  void notEchoes(String body) {
    assertThat(ip(body)).isNull();
  }
}
