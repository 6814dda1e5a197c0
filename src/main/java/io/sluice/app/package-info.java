/**
 * Application services (CDI beans): transactions, start-up, keys, admin accounts and proxy
 * users. Thin: they validate, call repositories and the engine, and raise {@link
 * io.sluice.app.ApiException}s that the API layer turns into problem documents. May depend on
 * {@code domain}, {@code engine}, {@code infra} and Jakarta EE; never on {@code api}.
 */
package io.sluice.app;
