package io.sibyl.stress;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.NoNodeAvailableException;
import com.datastax.oss.driver.api.core.servererrors.OverloadedException;
import com.datastax.oss.driver.api.core.servererrors.ReadTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.UnavailableException;
import com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** The Java driver's exceptions as the error codes of the summary (docs/api.md's names where one fits). */
final class CqlErrors {
    private CqlErrors() {
    }

    static Outcome.Failure classify(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        String code;
        if (t instanceof UnavailableException) code = "UNAVAILABLE";
        else if (t instanceof WriteTimeoutException) code = "WRITE_TIMEOUT";
        else if (t instanceof ReadTimeoutException) code = "READ_TIMEOUT";
        else if (t instanceof OverloadedException) code = "OVERLOADED";
        else if (t instanceof DriverTimeoutException) code = "TIMEOUT";
        else if (t instanceof NoNodeAvailableException) code = "NO_NODE_AVAILABLE";
        else if (t instanceof AllNodesFailedException) code = "ALL_NODES_FAILED";
        else code = "CQL_" + t.getClass().getSimpleName();
        return new Outcome.Failure(code);
    }
}
