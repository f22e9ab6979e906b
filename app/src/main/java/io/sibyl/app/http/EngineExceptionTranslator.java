package io.sibyl.app.http;

/** Translates storage and cluster exceptions into API errors (extended as those modules grow). */
final class EngineExceptionTranslator implements ExceptionTranslator {
    @Override
    public ErrorMapper.ApiError translate(Throwable t) {
        return null;
    }
}
