package io.kvmguest.standalone.apiserver;

import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One HTTP request to the API, with its path split from its decoded query parameters. */
record ApiRequest(String method, String path, Map<String, List<String>> query, String accept, String contentType,
    byte[] bodyBytes) {

  static ApiRequest of(RecordedRequest request) {
    String uri = request.getPath();
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    Map<String, List<String>> query = q < 0 ? Map.of() : parseQuery(uri.substring(q + 1));
    byte[] body = request.getBody() == null ? new byte[0] : request.getBody().getBytes();
    return new ApiRequest(request.getMethod(), trimTrailingSlash(path), query, headerOrEmpty(request, "Accept"),
        headerOrEmpty(request, "Content-Type"), body);
  }

  String body() {
    return new String(bodyBytes, StandardCharsets.UTF_8);
  }

  String param(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  boolean isWatch() {
    String watch = param("watch");
    return "true".equals(watch) || "1".equals(watch);
  }

  boolean wantsTable() {
    return accept.contains("as=Table");
  }

  /** The path with only the query parameters the store understands (label and field selectors, watch). */
  String pathForStore(boolean keepFieldSelector) {
    StringBuilder kept = new StringBuilder();
    for (String name : List.of("labelSelector", "fieldSelector", "watch", "resourceVersion")) {
      if (name.equals("fieldSelector") && !keepFieldSelector) {
        continue;
      }
      String value = param(name);
      if (value != null) {
        kept.append(kept.length() == 0 ? '?' : '&').append(name).append('=')
            .append(java.net.URLEncoder.encode(value, StandardCharsets.UTF_8));
      }
    }
    return path + kept;
  }

  private static Map<String, List<String>> parseQuery(String raw) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return query;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static String trimTrailingSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  private static String headerOrEmpty(RecordedRequest request, String name) {
    String value = request.getHeader(name);
    return value == null ? "" : value;
  }
}
