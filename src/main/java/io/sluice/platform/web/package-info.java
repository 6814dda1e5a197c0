/** The JAX-RS application, roles, request context, JSON input helpers and security headers. */
package io.sluice.platform.web;
