package io.kvmguest.standalone.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class PatchesTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode json(String s) throws Exception {
    return JSON.readTree(s.replace('\'', '"'));
  }

  @Test
  void mergePatchReplacesListsAndDeletesNulls() throws Exception {
    JsonNode current = json("{'metadata':{'finalizers':['a','b'],'labels':{'x':'1','y':'2'}},'spec':{'cpus':1}}");
    JsonNode patched = Patches.apply(Patches.MERGE_PATCH, current,
        "{\"metadata\":{\"finalizers\":[\"a\"],\"labels\":{\"x\":null}},\"spec\":{\"cpus\":2}}");
    assertEquals(json("{'metadata':{'finalizers':['a'],'labels':{'y':'2'}},'spec':{'cpus':2}}"), patched);
    assertEquals(json("{'metadata':{'finalizers':['a','b'],'labels':{'x':'1','y':'2'}},'spec':{'cpus':1}}"), current,
        "the stored object is not modified in place");
  }

  @Test
  void strategicMergePatchHonoursKubectlsPrimitiveListDirectives() throws Exception {
    JsonNode current = json("{'metadata':{'finalizers':['a','b']},'data':{'k':'v'}}");
    JsonNode ordered = Patches.apply(Patches.STRATEGIC_MERGE_PATCH + "; charset=utf-8", current,
        "{\"metadata\":{\"$setElementOrder/finalizers\":[\"b\",\"c\"],\"finalizers\":[\"c\"]},\"data\":{\"j\":\"w\"}}");
    assertEquals(json("{'metadata':{'finalizers':['b','c']},'data':{'k':'v','j':'w'}}"), ordered);
    JsonNode removed = Patches.apply(Patches.STRATEGIC_MERGE_PATCH, current,
        "{\"metadata\":{\"$deleteFromPrimitiveList/finalizers\":[\"a\"]}}");
    assertEquals(json("{'metadata':{'finalizers':['b']},'data':{'k':'v'}}"), removed);
  }

  @Test
  void failedJsonPatchTestIsInvalid() throws Exception {
    JsonNode current = json("{'metadata':{'resourceVersion':'7'}}");
    ApiException e = assertThrows(ApiException.class, () -> Patches.apply(Patches.JSON_PATCH, current,
        "[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\"6\"}]"));
    assertEquals(422, e.response().code());
    assertEquals(json("{'metadata':{'resourceVersion':'8'}}"), Patches.apply(Patches.JSON_PATCH, current,
        "[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\"7\"},"
            + "{\"op\":\"replace\",\"path\":\"/metadata/resourceVersion\",\"value\":\"8\"}]"));
  }

  @Test
  void serverSideApplyAndUnknownTypesAreUnsupported() throws Exception {
    JsonNode current = json("{}");
    assertEquals(415, assertThrows(ApiException.class,
        () -> Patches.apply(Patches.APPLY_PATCH, current, "{}")).response().code());
    assertEquals(415, assertThrows(ApiException.class,
        () -> Patches.apply("text/plain", current, "{}")).response().code());
    assertEquals(400, assertThrows(ApiException.class,
        () -> Patches.apply(Patches.MERGE_PATCH, current, "{not json")).response().code());
  }
}
