package io.sibyl.app.cql.exec;

import io.sibyl.actors.consistency.ConsistencyLevel;
import io.sibyl.actors.consistency.WriteType;
import io.sibyl.actors.coordinator.CasDecision;
import io.sibyl.actors.coordinator.CasResult;
import io.sibyl.actors.coordinator.Coordinator;
import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.read.PartitionRangeReadCommand;
import io.sibyl.storage.read.ReadResult;
import io.sibyl.storage.read.SinglePartitionReadCommand;
import io.sibyl.storage.schema.TableMetadata;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** A test coordinator that passes every call to {@link #inner()}; a test overrides the calls it watches or bends. */
interface ForwardingCoordinator extends Coordinator {

    Coordinator inner();

    @Override
    default CompletionStage<Void> write(List<Mutation> mutations, ConsistencyLevel cl, WriteType writeType) {
        return inner().write(mutations, cl, writeType);
    }

    @Override
    default CompletionStage<ReadResult> read(SinglePartitionReadCommand command, ConsistencyLevel cl) {
        return inner().read(command, cl);
    }

    @Override
    default CompletionStage<ReadResult> scan(PartitionRangeReadCommand command, ConsistencyLevel cl) {
        return inner().scan(command, cl);
    }

    @Override
    default CompletionStage<Void> truncate(TableMetadata table) {
        return inner().truncate(table);
    }

    @Override
    default CompletionStage<CasResult> cas(SinglePartitionReadCommand read, CasDecision decide, ConsistencyLevel serialCl,
                                           ConsistencyLevel commitCl) {
        return inner().cas(read, decide, serialCl, commitCl);
    }
}
