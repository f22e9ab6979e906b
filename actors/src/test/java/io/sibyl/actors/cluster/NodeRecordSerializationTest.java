package io.sibyl.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeRecordSerializationTest {

    private ActorTestKit testKit;

    @BeforeAll
    void start() {
        testKit = ActorTestKit.create("NodeRecordSerializationTest");
    }

    @AfterAll
    void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void nodeRecordRoundTripsThroughTheConfiguredCborSerializer() {
        Serialization serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
        for (NodeStatus status : NodeStatus.values()) {
            NodeRecord record = new NodeRecord(
                    new NodeInfo(NodeId.random(), "10.0.0.7", 8081, 7001, "eu-west", "rack-b"),
                    List.of(Long.MIN_VALUE + 1, -42L, 0L, 17L, Long.MAX_VALUE), status);
            Serializer serializer = serialization.findSerializerFor(record);
            assertTrue(serializer.getClass().getName().contains("JacksonCborSerializer"),
                    serializer.getClass().getName());
            byte[] bytes = serialization.serialize(record).get();
            String manifest = Serializers.manifestFor(serializer, record);
            Object back = serialization.deserialize(bytes, serializer.identifier(), manifest).get();
            assertEquals(record, back);
        }
    }

    @Test
    void theNativePortRoundTripsAndARecordWithoutOneReadsAsZero() throws Exception {
        Serialization serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
        NodeRecord record = new NodeRecord(new NodeInfo(NodeId.random(), "10.0.0.7", 8081, 7001, "dc1", "r1", 9043),
                List.of(5L), NodeStatus.NORMAL);
        Serializer serializer = serialization.findSerializerFor(record);
        String manifest = Serializers.manifestFor(serializer, record);
        byte[] bytes = serialization.serialize(record).get();
        assertEquals(record, serialization.deserialize(bytes, serializer.identifier(), manifest).get());

        // the record as a build that did not publish the native port wrote it
        com.fasterxml.jackson.databind.ObjectMapper cbor = new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.cbor.CBORFactory());
        com.fasterxml.jackson.databind.node.ObjectNode tree = (com.fasterxml.jackson.databind.node.ObjectNode) cbor.readTree(bytes);
        assertTrue(tree.get("info").has("nativePort"), tree.toString());
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("info")).remove("nativePort");
        NodeRecord old = (NodeRecord) serialization.deserialize(cbor.writeValueAsBytes(tree), serializer.identifier(), manifest).get();
        assertEquals(0, old.info().nativePort());
        assertEquals(record.info().httpPort(), old.info().httpPort());
    }
}
