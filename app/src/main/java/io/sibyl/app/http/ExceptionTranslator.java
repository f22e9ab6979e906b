package io.sibyl.app.http;

import java.util.List;

/**
 * Maps exceptions of the lower modules (storage, actors), which know nothing of HTTP, to API errors.
 * Returns null when the exception is not one it knows.
 */
interface ExceptionTranslator {
    ErrorMapper.ApiError translate(Throwable t);

    List<ExceptionTranslator> ALL = List.of(new EngineExceptionTranslator());
}
