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
}
