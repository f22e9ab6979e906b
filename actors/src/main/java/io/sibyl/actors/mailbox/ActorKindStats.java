package io.sibyl.actors.mailbox;

/**
 * The mailboxes of one actor kind at a moment (as nodetool tpstats shows a pool).
 *
 * @param kind      the actor kind (Replica, MemtableFlusher, Compactor, HintReplayer, ...)
 * @param actors    actors of the kind alive now
 * @param pending   messages waiting in their mailboxes (not counting one being processed)
 * @param completed messages taken out of a mailbox to be processed, since the actor system started
 * @param dropped   messages left in a mailbox when its actor stopped (sent on to dead letters)
 */
public record ActorKindStats(String kind, long actors, long pending, long completed, long dropped) {

    /** Both together (the same kind in two actor systems of one node). */
    public ActorKindStats plus(ActorKindStats o) {
        return new ActorKindStats(kind, actors + o.actors, pending + o.pending, completed + o.completed, dropped + o.dropped);
    }
}
