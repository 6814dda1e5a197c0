/**
 * Plain Java domain model shared by the services and the API: proxy users, pages, and the
 * events that tell other parts of Sluice that a user changed. No Jakarta EE, no JPA.
 */
package io.sluice.domain;
