/**
 * Alert infrastructure: the SQL store on JPA native queries or a JDBC connection, the channel
 * senders (Jakarta Mail SMTP, Telegram Bot API and Alertmanager-style webhook over the JDK
 * HttpClient), and the reader of the HTTPS keystore's certificates.
 */
package io.sluice.alerts.infra;
