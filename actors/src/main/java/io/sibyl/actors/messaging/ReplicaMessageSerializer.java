package io.sibyl.actors.messaging;

import io.sibyl.actors.replica.ReplicaActor;
import io.sibyl.actors.replica.ReplicaActor.ApplyBatch;
import io.sibyl.actors.replica.ReplicaActor.BuildMerkleTree;
import io.sibyl.actors.replica.ReplicaActor.DataResponse;
import io.sibyl.actors.replica.ReplicaActor.MerkleTreeResponse;
import io.sibyl.actors.replica.ReplicaActor.RepairRead;
import io.sibyl.actors.replica.ReplicaActor.Truncate;
import io.sibyl.actors.replica.ReplicaActor.TruncateAck;
import io.sibyl.actors.replica.ReplicaActor.DigestResponse;
import io.sibyl.actors.replica.ReplicaActor.Mutate;
import io.sibyl.actors.replica.ReplicaActor.MutateAck;
import io.sibyl.actors.replica.ReplicaActor.RangeRead;
import io.sibyl.actors.replica.ReplicaActor.ReadData;
import io.sibyl.actors.replica.ReplicaActor.ReadDigest;
import io.sibyl.actors.replica.ReplicaActor.ReplicaFailure;
import io.sibyl.actors.replica.ReplicaActor.Undecodable;
import io.sibyl.actors.replica.ReplicaActor.StoreBatch;
import io.sibyl.actors.replica.ReplicaActor.RemoveBatch;
import io.sibyl.actors.batchlog.Batch;
import io.sibyl.actors.paxos.Ballot;
import io.sibyl.actors.paxos.PrepareResponse;
import io.sibyl.actors.paxos.Proposal;
import io.sibyl.actors.replica.ReplicaActor.PaxosAccepted;
import io.sibyl.actors.replica.ReplicaActor.PaxosCommit;
import io.sibyl.actors.replica.ReplicaActor.PaxosPrepare;
import io.sibyl.actors.replica.ReplicaActor.PaxosPromise;
import io.sibyl.actors.replica.ReplicaActor.PaxosPropose;
import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.schema.UnknownTableException;
import io.sibyl.storage.serialization.DataInputBuffer;
import io.sibyl.storage.serialization.DataOutputBuffer;
import io.sibyl.storage.serialization.MutationSerializer;
import io.sibyl.storage.serialization.ReadCommandSerializer;
import io.sibyl.storage.serialization.ReadResultSerializer;
import io.sibyl.storage.repair.MerkleTreeSerializer;
import io.sibyl.storage.repair.TokenSubrange;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.SerializerWithStringManifest;

import java.io.NotSerializableException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The compact binary encoding of the replica protocol, the inter-node hot path. Mutations, read
 * commands and read results use the storage module's encodings (the same bytes the commit log and
 * SSTables use for rows); reply-to references are Pekko's string form.
 *
 * <p>Tables travel as ids and are resolved through this node's {@link SchemaLookup}. A request for
 * a table the receiving node does not know decodes to {@link Undecodable}, which the replica answers
 * with an UNKNOWN_TABLE failure; a reply naming an unknown table decodes to a {@link ReplicaFailure}.
 * Either way the asker gets an answer instead of a silently dropped message.
 */
public final class ReplicaMessageSerializer extends SerializerWithStringManifest {

    /** Unique among the system's serializers (Pekko reserves 0-40). */
    public static final int IDENTIFIER = 7341;

    static final String MUTATE = "M";
    static final String READ_DATA = "RD";
    static final String READ_DIGEST = "DG";
    static final String RANGE_READ = "RR";
    static final String MUTATE_ACK = "A";
    static final String DATA_RESPONSE = "D";
    static final String DIGEST_RESPONSE = "G";
    static final String FAILURE = "F";
    static final String TRUNCATE = "T";
    static final String TRUNCATE_ACK = "TA";
    static final String BUILD_TREE = "MT";
    static final String TREE_RESPONSE = "TR";
    static final String REPAIR_READ = "RP";
    static final String APPLY_BATCH = "B";
    static final String PAXOS_PREPARE = "PP";
    static final String PAXOS_PROPOSE = "PA";
    static final String PAXOS_COMMIT = "PC";
    static final String PAXOS_PROMISE = "PR";
    static final String PAXOS_ACCEPTED = "PX";
    static final String STORE_BATCH = "BS";
    static final String REMOVE_BATCH = "BR";
    static final String STORE_HINT = "H";

    private final ExtendedActorSystem system;
    private volatile ActorRefResolver resolver;

    public ReplicaMessageSerializer(ExtendedActorSystem system) {
        this.system = system;
    }

    @Override
    public int identifier() {
        return IDENTIFIER;
    }

    // Created lazily: the serializer is constructed while the ActorSystem is still starting.
    private ActorRefResolver resolver() {
        ActorRefResolver r = resolver;
        if (r == null) {
            r = ActorRefResolver.get(Adapter.toTyped(system));
            resolver = r;
        }
        return r;
    }

    private SchemaLookup schema() {
        return SchemaLookup.get(system);
    }

    @Override
    public String manifest(Object o) {
        if (o instanceof Mutate) {
            return MUTATE;
        } else if (o instanceof ReadData) {
            return READ_DATA;
        } else if (o instanceof ReadDigest) {
            return READ_DIGEST;
        } else if (o instanceof RangeRead) {
            return RANGE_READ;
        } else if (o instanceof MutateAck) {
            return MUTATE_ACK;
        } else if (o instanceof DataResponse) {
            return DATA_RESPONSE;
        } else if (o instanceof DigestResponse) {
            return DIGEST_RESPONSE;
        } else if (o instanceof ReplicaFailure) {
            return FAILURE;
        } else if (o instanceof Truncate) {
            return TRUNCATE;
        } else if (o instanceof TruncateAck) {
            return TRUNCATE_ACK;
        } else if (o instanceof BuildMerkleTree) {
            return BUILD_TREE;
        } else if (o instanceof MerkleTreeResponse) {
            return TREE_RESPONSE;
        } else if (o instanceof RepairRead) {
            return REPAIR_READ;
        } else if (o instanceof ApplyBatch) {
            return APPLY_BATCH;
        } else if (o instanceof PaxosPrepare) {
            return PAXOS_PREPARE;
        } else if (o instanceof PaxosPropose) {
            return PAXOS_PROPOSE;
        } else if (o instanceof PaxosCommit) {
            return PAXOS_COMMIT;
        } else if (o instanceof PaxosPromise) {
            return PAXOS_PROMISE;
        } else if (o instanceof PaxosAccepted) {
            return PAXOS_ACCEPTED;
        } else if (o instanceof StoreBatch) {
            return STORE_BATCH;
        } else if (o instanceof RemoveBatch) {
            return REMOVE_BATCH;
        } else if (o instanceof ReplicaActor.StoreHint) {
            return STORE_HINT;
        }
        throw new IllegalArgumentException("not a replica protocol message: " + o.getClass().getName());
    }

    @Override
    public byte[] toBinary(Object o) {
        DataOutputBuffer out = new DataOutputBuffer(256);
        if (o instanceof ReplicaActor.Command c) {
            if (c instanceof Undecodable) {
                throw new IllegalArgumentException("Undecodable is local to the receiving node and never sent");
            }
            out.writeString(resolver().toSerializationFormat(c.replyTo()));
            if (c instanceof Mutate m) {
                MutationSerializer.serialize(m.mutation(), out);
            } else if (c instanceof ReadData r) {
                ReadCommandSerializer.serialize(r.command(), out);
            } else if (c instanceof ReadDigest r) {
                ReadCommandSerializer.serialize(r.command(), out);
            } else if (c instanceof RangeRead r) {
                ReadCommandSerializer.serialize(r.command(), out);
            } else if (c instanceof RepairRead r) {
                ReadCommandSerializer.serialize(r.command(), out);
            } else if (c instanceof Truncate t) {
                out.writeUuid(t.tableId());
            } else if (c instanceof BuildMerkleTree b) {
                out.writeUuid(b.tableId());
                out.writeLong(b.range().start());
                out.writeLong(b.range().end());
                out.writeByte(b.depth());
                out.writeInt(b.nowInSec());
            } else if (c instanceof ApplyBatch b) {
                out.writeUnsignedVInt32(b.mutations().size());
                for (Mutation m : b.mutations()) {
                    MutationSerializer.serialize(m, out);
                }
            } else if (c instanceof PaxosPrepare p) {
                out.writeUuid(p.table().id());
                out.writeLong(p.key().token());
                out.writeBytes(p.key().key());
                out.writeUuid(p.ballot().uuid());
            } else if (c instanceof PaxosPropose p) {
                writeProposal(p.proposal(), out);
            } else if (c instanceof PaxosCommit p) {
                writeProposal(p.proposal(), out);
            } else if (c instanceof StoreBatch b) {
                // The batch's mutations stay the coordinator's bytes: the holder needs no schema for them.
                out.writeUuid(b.batch().id());
                out.writeBytes(b.batch().mutations());
            } else if (c instanceof RemoveBatch b) {
                out.writeUuid(b.id());
            } else if (c instanceof ReplicaActor.StoreHint h) {
                out.writeString(h.target().value());
                MutationSerializer.serialize(h.mutation(), out);
            }
        } else if (o instanceof PaxosAccepted a) {
            return new byte[] {(byte) (a.accepted() ? 1 : 0)};
        } else if (o instanceof PaxosPromise p) {
            PrepareResponse r = p.response();
            out.writeByte((r.promised() ? 1 : 0) | (r.accepted() != null ? 2 : 0) | (r.mostRecentCommit() != null ? 4 : 0));
            out.writeUuid(r.ballot().uuid());
            if (r.accepted() != null) {
                writeProposal(r.accepted(), out);
            }
            if (r.mostRecentCommit() != null) {
                writeProposal(r.mostRecentCommit(), out);
            }
        } else if (o instanceof MutateAck || o instanceof TruncateAck) {
            return new byte[0];
        } else if (o instanceof MerkleTreeResponse t) {
            return MerkleTreeSerializer.serialize(t.tree());
        } else if (o instanceof DataResponse d) {
            ReadResultSerializer.serialize(d.result(), out);
        } else if (o instanceof DigestResponse d) {
            out.writeBytes(d.digest());
        } else if (o instanceof ReplicaFailure f) {
            out.writeByte(f.reason().ordinal());
            out.writeString(f.message());
        } else {
            throw new IllegalArgumentException("not a replica protocol message: " + o.getClass().getName());
        }
        return out.toByteArray();
    }

    @Override
    public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
        DataInputBuffer in = new DataInputBuffer(bytes);
        switch (manifest) {
            case MUTATE_ACK:
                return MutateAck.INSTANCE;
            case TRUNCATE_ACK:
                return TruncateAck.INSTANCE;
            case TREE_RESPONSE:
                return new MerkleTreeResponse(MerkleTreeSerializer.deserialize(bytes));
            case DATA_RESPONSE:
                try {
                    return new DataResponse(ReadResultSerializer.deserialize(in, schema()::table));
                } catch (UnknownTableException e) {
                    return new ReplicaFailure(ReplicaActor.FailureReason.UNKNOWN_TABLE,
                            "the coordinator no longer knows " + e.getMessage());
                }
            case DIGEST_RESPONSE:
                return new DigestResponse(in.readBytes());
            case PAXOS_ACCEPTED:
                return bytes.length > 0 && bytes[0] == 1 ? PaxosAccepted.YES : PaxosAccepted.NO;
            case PAXOS_PROMISE:
                try {
                    int flags = in.readUnsignedByte();
                    Ballot ballot = new Ballot(in.readUuid());
                    Proposal accepted = (flags & 2) != 0 ? readProposal(in) : null;
                    Proposal commit = (flags & 4) != 0 ? readProposal(in) : null;
                    return new PaxosPromise(new PrepareResponse((flags & 1) != 0, ballot, accepted, commit));
                } catch (UnknownTableException e) {
                    return new ReplicaFailure(ReplicaActor.FailureReason.UNKNOWN_TABLE,
                            "the coordinator no longer knows " + e.getMessage());
                }
            case FAILURE: {
                int reason = in.readUnsignedByte();
                ReplicaActor.FailureReason[] reasons = ReplicaActor.FailureReason.values();
                return new ReplicaFailure(reason < reasons.length ? reasons[reason] : ReplicaActor.FailureReason.ERROR,
                        in.readString());
            }
            case MUTATE:
            case READ_DATA:
            case READ_DIGEST:
            case RANGE_READ:
            case REPAIR_READ:
            case TRUNCATE:
            case BUILD_TREE:
            case APPLY_BATCH:
            case PAXOS_PREPARE:
            case PAXOS_PROPOSE:
            case PAXOS_COMMIT:
            case STORE_BATCH:
            case REMOVE_BATCH:
            case STORE_HINT:
                return command(in, manifest);
            default:
                throw new NotSerializableException("unknown replica message manifest '" + manifest + "'");
        }
    }

    /** A proposal: its ballot, then its update as a one-update mutation (table id, key, body). */
    private static void writeProposal(Proposal p, DataOutputBuffer out) {
        out.writeUuid(p.ballot().uuid());
        MutationSerializer.serialize(Mutation.of(p.update()), out);
    }

    /** @throws UnknownTableException when this node does not know the update's table */
    private Proposal readProposal(DataInputBuffer in) {
        Ballot ballot = new Ballot(in.readUuid());
        List<UUID> unknown = new ArrayList<>();
        Mutation m = MutationSerializer.deserialize(in, schema()::table, unknown::add);
        if (!unknown.isEmpty() || m == null || m.updates().size() != 1) {
            throw new UnknownTableException(unknown.isEmpty() ? null : unknown.get(0));
        }
        return new Proposal(ballot, m.updates().get(0));
    }

    private ReplicaActor.Command command(DataInputBuffer in, String manifest) {
        ActorRef<ReplicaActor.Reply> replyTo = resolver().resolveActorRef(in.readString());
        SchemaLookup schema = schema();
        try {
            switch (manifest) {
                case MUTATE: {
                    List<UUID> unknown = new ArrayList<>();
                    Mutation m = MutationSerializer.deserialize(in, schema::table, unknown::add);
                    if (!unknown.isEmpty() || m == null) {
                        // Applying only the known tables' part and acking would claim a write that did not happen.
                        return new Undecodable("mutation for unknown table(s) " + unknown
                                + " (schema not yet received, or dropped)", replyTo);
                    }
                    return new Mutate(m, replyTo);
                }
                case READ_DATA:
                    return new ReadData(ReadCommandSerializer.deserializeSingle(in, schema::table), replyTo);
                case READ_DIGEST:
                    return new ReadDigest(ReadCommandSerializer.deserializeSingle(in, schema::table), replyTo);
                case REPAIR_READ:
                    return new RepairRead(ReadCommandSerializer.deserializeRange(in, schema::table), replyTo);
                case TRUNCATE:
                    return new Truncate(in.readUuid(), replyTo);
                case BUILD_TREE:
                    return new BuildMerkleTree(in.readUuid(), new TokenSubrange(in.readLong(), in.readLong()),
                            in.readUnsignedByte(), in.readInt(), replyTo);
                case APPLY_BATCH: {
                    int n = in.readUnsignedVInt32();
                    List<Mutation> batch = new ArrayList<>(n);
                    List<UUID> unknown = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        Mutation m = MutationSerializer.deserialize(in, schema::table, unknown::add);
                        if (m != null) {
                            batch.add(m);
                        }
                    }
                    if (!unknown.isEmpty()) {
                        return new Undecodable("repair batch for unknown table(s) " + unknown
                                + " (schema not yet received, or dropped)", replyTo);
                    }
                    return new ApplyBatch(batch, replyTo);
                }
                case PAXOS_PREPARE: {
                    UUID tableId = in.readUuid();
                    TableMetadata table = schema.table(tableId);
                    if (table == null) {
                        throw new UnknownTableException(tableId);
                    }
                    long token = in.readLong();
                    DecoratedKey key = new DecoratedKey(token, in.readBytes());
                    return new PaxosPrepare(table, key, new Ballot(in.readUuid()), replyTo);
                }
                case PAXOS_PROPOSE:
                    return new PaxosPropose(readProposal(in), replyTo);
                case PAXOS_COMMIT:
                    return new PaxosCommit(readProposal(in), replyTo);
                case STORE_BATCH:
                    return new StoreBatch(new Batch(in.readUuid(), in.readBytes()), replyTo);
                case REMOVE_BATCH:
                    return new RemoveBatch(in.readUuid(), replyTo);
                case STORE_HINT: {
                    io.sibyl.actors.ring.NodeId target = io.sibyl.actors.ring.NodeId.of(in.readString());
                    List<UUID> unknown = new ArrayList<>();
                    Mutation m = MutationSerializer.deserialize(in, schema::table, unknown::add);
                    if (!unknown.isEmpty() || m == null) {
                        return new Undecodable("hint for unknown table(s) " + unknown
                                + " (schema not yet received, or dropped)", replyTo);
                    }
                    return new ReplicaActor.StoreHint(target, m, replyTo);
                }
                default:
                    return new RangeRead(ReadCommandSerializer.deserializeRange(in, schema::table), replyTo);
            }
        } catch (UnknownTableException e) {
            return new Undecodable(e.getMessage() + " (schema not yet received, or dropped)", replyTo);
        }
    }
}
