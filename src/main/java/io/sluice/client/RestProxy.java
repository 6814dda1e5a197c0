package io.sluice.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Implements a JAX-RS annotated interface over {@code java.net.http}: the HTTP method from the
 * method's {@code @GET}/{@code @POST}/..., the path from the interface's and the method's
 * {@code @Path} with {@code @PathParam}s filled in, {@code @QueryParam}s (null ones left out),
 * {@code @HeaderParam}s, and the one unannotated parameter as the JSON body. The answer is read
 * into the method's generic return type; a non-2xx answer throws {@link SluiceApiException}.
 */
final class RestProxy implements InvocationHandler {

  private static final Pattern TEMPLATE = Pattern.compile("\\{\\s*([A-Za-z0-9_]+)\\s*(:[^}]*)?}");

  private final Class<?> api;
  private final URI base;
  private final HttpClient http;
  private final ObjectMapper json;
  private final Supplier<String> token;
  private final Duration timeout;

  private RestProxy(
      Class<?> api,
      URI base,
      HttpClient http,
      ObjectMapper json,
      Supplier<String> token,
      Duration timeout) {
    this.api = api;
    this.base = base;
    this.http = http;
    this.json = json;
    this.token = token;
    this.timeout = timeout;
  }

  static <T> T create(
      Class<T> api,
      URI base,
      HttpClient http,
      ObjectMapper json,
      Supplier<String> token,
      Duration timeout) {
    if (!api.isInterface() || api.getAnnotation(Path.class) == null) {
      throw new IllegalArgumentException(api + " is not a JAX-RS interface with @Path");
    }
    return api.cast(
        Proxy.newProxyInstance(
            api.getClassLoader(),
            new Class<?>[] {api},
            new RestProxy(api, base, http, json, token, timeout)));
  }

  /** The HTTP method of a JAX-RS method, or null when it has none. */
  static String httpMethod(Method m) {
    for (Annotation a : m.getAnnotations()) {
      HttpMethod hm = a.annotationType().getAnnotation(HttpMethod.class);
      if (hm != null) {
        return hm.value();
      }
    }
    return null;
  }

  /** The path template of a method: the interface's {@code @Path} joined with the method's. */
  static String pathTemplate(Class<?> type, Method m) {
    Path onType = type.getAnnotation(Path.class);
    Path onMethod = m.getAnnotation(Path.class);
    return join(onType == null ? "" : onType.value(), onMethod == null ? "" : onMethod.value());
  }

  static String join(String a, String b) {
    String left = a.endsWith("/") ? a.substring(0, a.length() - 1) : a;
    if (b.isEmpty()) {
      return left.startsWith("/") ? left : "/" + left;
    }
    String right = b.startsWith("/") ? b : "/" + b;
    String joined = left + right;
    return joined.startsWith("/") ? joined : "/" + joined;
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getDeclaringClass() == Object.class) {
      return switch (method.getName()) {
        case "toString" -> api.getSimpleName() + "@" + base;
        case "hashCode" -> System.identityHashCode(proxy);
        case "equals" -> proxy == args[0];
        default -> throw new UnsupportedOperationException(method.getName());
      };
    }
    if (method.isDefault()) {
      return InvocationHandler.invokeDefault(proxy, method, args);
    }
    String verb = httpMethod(method);
    if (verb == null) {
      throw new IllegalStateException(method + " has no HTTP method annotation");
    }
    String path = pathTemplate(api, method);
    List<String> query = new ArrayList<>();
    HttpRequest.Builder req = HttpRequest.newBuilder().timeout(timeout);
    Object body = null;
    boolean hasBody = false;
    Parameter[] params = method.getParameters();
    for (int i = 0; i < params.length; i++) {
      Object value = args[i];
      PathParam pp = params[i].getAnnotation(PathParam.class);
      QueryParam qp = params[i].getAnnotation(QueryParam.class);
      HeaderParam hp = params[i].getAnnotation(HeaderParam.class);
      if (pp != null) {
        if (value == null) {
          throw new IllegalArgumentException("path parameter " + pp.value() + " is null");
        }
        path = fill(path, pp.value(), String.valueOf(value));
      } else if (qp != null) {
        addQuery(query, qp.value(), value);
      } else if (hp != null) {
        if (value != null) {
          req.header(hp.value(), String.valueOf(value));
        }
      } else {
        body = value;
        hasBody = true;
      }
    }
    String uri = base + path + (query.isEmpty() ? "" : "?" + String.join("&", query));
    req.uri(URI.create(uri));
    req.header("Accept", accept(method));
    String bearer = token == null ? null : token.get();
    if (bearer != null && !bearer.isBlank()) {
      req.header("Authorization", "Bearer " + bearer);
    }
    if (hasBody) {
      req.header("Content-Type", contentType(method));
      req.method(verb, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
    } else {
      req.method(verb, HttpRequest.BodyPublishers.noBody());
    }
    if (method.getReturnType() == java.io.InputStream.class) {
      return stream(req.build(), uri);
    }
    HttpResponse<String> resp;
    try {
      resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      String why = e.getMessage() == null ? "" : ": " + e.getMessage();
      throw new SluiceConnectionException(
          "cannot reach " + base + " (" + e.getClass().getSimpleName() + why + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SluiceConnectionException("interrupted while calling " + uri, e);
    }
    int status = resp.statusCode();
    if (status < 200 || status > 299) {
      throw new SluiceApiException(status, problem(status, resp.body()));
    }
    Class<?> raw = method.getReturnType();
    if (raw == void.class || raw == Void.class) {
      return null;
    }
    String text = resp.body();
    if (raw == String.class) {
      return text;
    }
    if (text == null || text.isBlank()) {
      return null;
    }
    JavaType type = json.getTypeFactory().constructType(method.getGenericReturnType());
    return json.readValue(text, type);
  }

  /** A streamed answer (server-sent events): the body as it arrives, or the problem document. */
  private java.io.InputStream stream(HttpRequest request, String uri) throws IOException {
    HttpResponse<java.io.InputStream> resp;
    try {
      resp = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      String why = e.getMessage() == null ? "" : ": " + e.getMessage();
      throw new SluiceConnectionException(
          "cannot reach " + base + " (" + e.getClass().getSimpleName() + why + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SluiceConnectionException("interrupted while calling " + uri, e);
    }
    int status = resp.statusCode();
    if (status < 200 || status > 299) {
      try (java.io.InputStream in = resp.body()) {
        throw new SluiceApiException(
            status, problem(status, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      }
    }
    return resp.body();
  }

  private Problem problem(int status, String body) {
    if (body != null && !body.isBlank()) {
      try {
        Problem p = json.readValue(body, Problem.class);
        if (p != null && p.title() != null) {
          return new Problem(
              p.type(),
              p.title(),
              p.status() == null ? status : p.status(),
              p.detail(),
              p.errors());
        }
      } catch (JsonProcessingException notAProblem) {
        // fall through: a plain body (e.g. from a proxy in front of the server)
      }
    }
    String detail = body == null || body.isBlank() ? null : abbreviate(body.strip());
    return new Problem("/docs/problems#http-" + status, "HTTP " + status, status, detail, null);
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }

  private static String fill(String path, String name, String value) {
    Matcher m = TEMPLATE.matcher(path);
    StringBuilder out = new StringBuilder();
    boolean found = false;
    while (m.find()) {
      if (m.group(1).equals(name)) {
        m.appendReplacement(out, Matcher.quoteReplacement(encodeSegment(value)));
        found = true;
      } else {
        m.appendReplacement(out, Matcher.quoteReplacement(m.group()));
      }
    }
    m.appendTail(out);
    if (!found) {
      throw new IllegalStateException("no {" + name + "} in " + path);
    }
    return out.toString();
  }

  static String encodeSegment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static void addQuery(List<String> query, String name, Object value) {
    if (value == null) {
      return;
    }
    if (value instanceof Collection<?> many) {
      for (Object v : many) {
        addQuery(query, name, v);
      }
      return;
    }
    query.add(
        URLEncoder.encode(name, StandardCharsets.UTF_8)
            + "="
            + URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8));
  }

  private String contentType(Method m) {
    Consumes c = m.getAnnotation(Consumes.class);
    if (c == null) {
      c = api.getAnnotation(Consumes.class);
    }
    return c == null || c.value().length == 0 ? "application/json" : c.value()[0];
  }

  private String accept(Method m) {
    Produces p = m.getAnnotation(Produces.class);
    if (p == null) {
      p = api.getAnnotation(Produces.class);
    }
    return p == null || p.value().length == 0
        ? "application/json, application/problem+json"
        : String.join(", ", p.value()) + ", application/problem+json";
  }
}
