package io.kvmguest.standalone.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded API answers only callers with its token: plain HTTP without it gets 401, kubectl with the kubeconfig works. */
class ApiAuthenticationTest {
  private static final String GUESTS = "/apis/kvmguest.io/v1alpha1/namespaces/default/virtualguests";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;
  Path state;
  EmbeddedApiServer server;
  Path kubeconfig;

  @BeforeEach
  void start() throws IOException {
    state = Files.createDirectories(tmp.resolve("state"));
    server = EmbeddedApiServer.start(state, 0);
    kubeconfig = server.writeKubeconfig(state.resolve("kubeconfig"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aRequestWithoutTheTokenGets401WithAStatusBody() throws Exception {
    for (String path : new String[] {"/version", "/api", GUESTS, GUESTS + "?watch=true"}) {
      HttpResponse<String> response = send(path, "GET", Optional.empty());
      assertUnauthorized(response, path);
    }
    HttpResponse<String> create = send(GUESTS, "POST", Optional.empty());
    assertUnauthorized(create, "POST");
  }

  @Test
  void aWrongOrMalformedTokenGets401() throws Exception {
    String right = server.token().value();
    for (String header : new String[] {"Bearer wrong", "Bearer " + right + "x", "Bearer " + right.substring(1), "Basic " + right, right}) {
      assertUnauthorized(sendWithHeader(GUESTS, header), header);
    }
    assertEquals(200, sendWithHeader(GUESTS, "Bearer " + right).statusCode(), "the right token is admitted");
  }

  @Test
  void kubectlWithTheWrittenKubeconfigWorksAndWithoutItsTokenIsRefused() throws IOException {
    Kubectl kubectl = new Kubectl(kubeconfig, Files.createDirectories(tmp.resolve("home")));
    assertTrue(kubectl.ok("apply", "-f", KubectlTest.DEMO.toString()).contains("created"));
    assertTrue(kubectl.ok("get", "vg").contains("demo"));

    String yaml = Files.readString(kubeconfig);
    assertTrue(yaml.contains("token: " + server.token().value()), yaml);
    Path tokenless = Files.writeString(tmp.resolve("tokenless"), yaml.replace(server.token().value(), "not-the-token"));
    Kubectl stranger = new Kubectl(tokenless, Files.createDirectories(tmp.resolve("home2")));
    Kubectl.Result refused = stranger.run("get", "vg");
    assertNotEquals(0, refused.exitCode());
    assertTrue(refused.both().contains("provide credentials"), "kubectl's words for a 401: " + refused.both());
  }

  @Test
  void theKubeconfigAndTheTokenFileAreReadableByTheOwnerOnly() throws IOException {
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(kubeconfig)));
    Path tokenFile = state.resolve(EmbeddedApiServer.TOKEN_FILE);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)));
  }

  @Test
  void aRestartKeepsTheTokenUnlessOthersCouldReadIt() throws IOException {
    String first = server.token().value();
    server.close();
    server = EmbeddedApiServer.start(state, 0);
    assertEquals(first, server.token().value(), "kubeconfigs handed out stay valid across a restart");

    server.close();
    Files.setPosixFilePermissions(state.resolve(EmbeddedApiServer.TOKEN_FILE), PosixFilePermissions.fromString("rw-r--r--"));
    server = EmbeddedApiServer.start(state, 0);
    assertNotEquals(first, server.token().value(), "a token others could read may have leaked: it is replaced");
  }

  private void assertUnauthorized(HttpResponse<String> response, String what) throws IOException {
    assertEquals(401, response.statusCode(), what + ": " + response.body());
    JsonNode status = JSON.readTree(response.body());
    assertEquals("Status", status.path("kind").asText(), response.body());
    assertEquals("Unauthorized", status.path("reason").asText(), response.body());
    assertEquals(401, status.path("code").asInt(), response.body());
  }

  private HttpResponse<String> sendWithHeader(String path, String authorization) throws Exception {
    return send(path, "GET", Optional.of(authorization));
  }

  private HttpResponse<String> send(String path, String method, Optional<String> authorization) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString("{\"apiVersion\":\"kvmguest.io/v1alpha1\",\"kind\":\"VirtualGuest\",\"metadata\":{\"name\":\"x\"}}"));
    authorization.ifPresent(value -> request.header("Authorization", value));
    return ApiHttp.client(server).send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
