package io.kvmguest.standalone.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TablesTest {
  static final Instant NOW = Instant.parse("2025-01-01T01:00:00Z");
  static final List<TableColumn> COLUMNS = Stream.concat(Stream.of(Tables.NAME), Stream.of(
      new PrinterColumn("Phase", "string", "", "", 0, ".status.phase"),
      new PrinterColumn("IP", "string", "", "", 0, ".status.interfaces[0].ipAddress"),
      new PrinterColumn("CPUs", "integer", "", "", 1, ".spec.cpus"),
      new PrinterColumn("Age", "date", "", "", 0, ".metadata.creationTimestamp")).map(PrinterColumn::toTableColumn))
      .toList();

  @Test
  void rendersTheNameColumnThenTheCrdColumnsWithConvertedCells() throws Exception {
    JsonNode list = PatchesTest.json("{'metadata':{'resourceVersion':'9'},'items':["
        + "{'metadata':{'name':'a','creationTimestamp':'2025-01-01T00:55:00Z'},'spec':{'cpus':2},"
        + "'status':{'phase':'Running','interfaces':[{'ipAddress':'192.0.2.1'}]}},"
        + "{'metadata':{'name':'b','creationTimestamp':'2025-01-01T00:59:30Z'},'spec':{'cpus':'two'}}]}");
    JsonNode table = PatchesTest.JSON.readTree(Tables.render(list, COLUMNS, null, NOW));
    assertEquals("Table", table.get("kind").asText());
    assertEquals("9", table.at("/metadata/resourceVersion").asText());
    assertEquals("[\"Name\",\"Phase\",\"IP\",\"CPUs\",\"Age\"]",
        table.get("columnDefinitions").findValuesAsText("name").toString().replace(", ", "\",\"")
            .replace("[", "[\"").replace("]", "\"]"));
    assertEquals(PatchesTest.json("['a','Running','192.0.2.1',2,'5m']"), table.at("/rows/0/cells"));
    assertEquals(PatchesTest.json("['b',null,null,null,'30s']"), table.at("/rows/1/cells"));
    assertEquals("PartialObjectMetadata", table.at("/rows/0/object/kind").asText());
  }

  @Test
  void includeObjectControlsTheRowObject() throws Exception {
    JsonNode object = PatchesTest.json("{'metadata':{'name':'a'},'spec':{'cpus':1}}");
    assertEquals(1, PatchesTest.JSON.readTree(Tables.render(object, COLUMNS, "Object", NOW))
        .at("/rows/0/object/spec/cpus").asInt());
    assertFalse(PatchesTest.JSON.readTree(Tables.render(object, COLUMNS, "None", NOW)).at("/rows/0").has("object"));
  }

  @Test
  void agesReadLikeKubectls() {
    assertEquals("0s", HumanDuration.format(Duration.ofMillis(-500)));
    assertEquals("119s", HumanDuration.format(Duration.ofSeconds(119)));
    assertEquals("3m20s", HumanDuration.format(Duration.ofSeconds(200)));
    assertEquals("45m", HumanDuration.format(Duration.ofMinutes(45)));
    assertEquals("4h10m", HumanDuration.format(Duration.ofMinutes(250)));
    assertEquals("2d3h", HumanDuration.format(Duration.ofHours(51)));
    assertEquals("30d", HumanDuration.format(Duration.ofDays(30)));
    assertEquals("<invalid>", HumanDuration.format(Duration.ofSeconds(-5)));
  }

  @Test
  void simpleJsonPathsOnly() throws Exception {
    JsonNode o = PatchesTest.json("{'metadata':{'labels':{'kvmguest.io/node':'host1'}}}");
    assertEquals("host1", SimpleJsonPath.parse(".metadata.labels['kvmguest.io/node']").find(o).orElseThrow().asText());
    assertTrue(SimpleJsonPath.parse(".status.interfaces[0].ipAddress").find(o).isEmpty());
    assertThrows(IllegalArgumentException.class, () -> SimpleJsonPath.parse(".items[?(@.x==1)]"));
  }

  @Test
  void fieldSelectorsMatchAnyDottedField() throws Exception {
    JsonNode event = PatchesTest.json("{'involvedObject':{'name':'demo','kind':'VirtualGuest'}}");
    assertTrue(FieldSelector.parse("involvedObject.name=demo,involvedObject.kind==VirtualGuest").matches(event));
    assertFalse(FieldSelector.parse("involvedObject.name!=demo").matches(event));
    assertTrue(FieldSelector.parse("involvedObject.uid=").matches(event), "missing fields compare as empty");
    assertThrows(IllegalArgumentException.class, () -> FieldSelector.parse("involvedObject.name"));
  }

  @Test
  void eventsWrittenThroughTheNewApiFallBackToEventTimeSeriesAndReportingFields() throws Exception {
    JsonNode event = PatchesTest.json("{'metadata':{'name':'e1'},'eventTime':'2025-01-01T00:00:00.000000Z',"
        + "'reportingComponent':'kvmguest-agent','reportingInstance':'host1','involvedObject':{'kind':'Node'},"
        + "'message':' bridge down \\n','type':'Warning','reason':'BridgeDown'}");
    JsonNode row = PatchesTest.JSON.readTree(Tables.render(event, EventColumns.ALL, "None", NOW)).at("/rows/0/cells");
    assertEquals(PatchesTest.json("['60m','Warning','BridgeDown','node','','kvmguest-agent, host1','bridge down',"
        + "'60m',1,'e1']"), row);

    ((com.fasterxml.jackson.databind.node.ObjectNode) event).set("series",
        PatchesTest.json("{'count':4,'lastObservedTime':'2025-01-01T00:59:00.000000Z'}"));
    assertEquals("60s", EventColumns.lastSeen(event, NOW));
    assertEquals(4, EventColumns.count(event));
    assertEquals("<unknown>", EventColumns.lastSeen(PatchesTest.json("{}"), NOW));
  }
}
