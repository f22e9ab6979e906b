package io.sibyl.verify;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One event of a history, as Jepsen records them: a client {@code process} {@linkplain Type#INVOKE invokes}
 * operation {@code f} and later completes it with {@link Type#OK} (it took effect, {@code value} is its
 * result), {@link Type#FAIL} (it certainly did not take effect) or {@link Type#INFO} (unknown: a timeout, a
 * lost connection — it may take effect at any later time, or never). {@code time} is monotonic nanoseconds
 * since the run began. A process has at most one operation in flight; after an {@code INFO} the worker
 * continues as a new process, since the old one may still be "executing".
 *
 * <p>Values by {@code f}: {@code add} an element (Long); {@code read} of a set a List of Long, of a register
 * the Long read (null: no value), of the bank a Map account→balance; {@code write} a Long; {@code cas} a
 * List [expected, new]; {@code transfer} a Map {from, to, amount}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Op(long index, int process, Type type, String f, String key, Object value, long time, String error) {

    public enum Type { INVOKE, OK, FAIL, INFO }

    public static Op invoke(int process, String f, String key, Object value, long time) {
        return new Op(-1, process, Type.INVOKE, f, key, value, time, null);
    }

    public Op complete(Type type, Object value, long time, String error) {
        return new Op(-1, process, type, f, key, value, time, error);
    }

    public Op at(long newTime) {
        return new Op(index, process, type, f, key, value, newTime, error);
    }

    Op withIndex(long i) {
        return new Op(i, process, type, f, key, value, time, error);
    }

    @JsonIgnore
    public boolean isInvoke() { return type == Type.INVOKE; }
    @JsonIgnore
    public boolean isOk() { return type == Type.OK; }
    @JsonIgnore
    public boolean isFail() { return type == Type.FAIL; }
    @JsonIgnore
    public boolean isInfo() { return type == Type.INFO; }

    @Override
    public String toString() {
        return String.format("{:index %d :process %d :type :%s :f :%s%s :value %s :time %.3fs%s}", index, process,
                type.name().toLowerCase(), f, key == null ? "" : " :key " + key, value, time / 1e9,
                error == null ? "" : " :error \"" + error + "\"");
    }
}
