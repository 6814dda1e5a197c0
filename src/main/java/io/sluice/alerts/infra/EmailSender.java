package io.sluice.alerts.infra;

import io.sluice.alerts.domain.Channel;
import io.sluice.alerts.domain.ChannelSender;
import io.sluice.alerts.domain.DeliveryFailure;
import io.sluice.alerts.domain.Notice;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Properties;

/**
 * Email over SMTP with Jakarta Mail: {@code tls} {@code none}, {@code starttls} (required, not
 * opportunistic) or {@code tls} (implicit TLS, usually port 465), optional login, and every timeout
 * set (connect, read, write: Jakarta Mail's defaults are infinite). The message is
 * multipart/alternative with a text and an HTML part.
 */
public class EmailSender implements ChannelSender {

  private final Duration timeout;

  /**
   * @param timeout each of the connect, read and write timeouts
   */
  public EmailSender(Duration timeout) {
    this.timeout = timeout;
  }

  @Override
  public String type() {
    return "email";
  }

  /** The session properties for a channel (public for the timeout test). */
  public Properties properties(Channel c) {
    String tls = c.string("tls") == null ? "starttls" : c.string("tls");
    String proto = "tls".equals(tls) ? "smtps" : "smtp";
    String ms = Long.toString(timeout.toMillis());
    Properties p = new Properties();
    p.put("mail.transport.protocol", proto);
    p.put("mail." + proto + ".host", c.string("host"));
    p.put("mail." + proto + ".port", Integer.toString(c.integer("port", 25)));
    p.put("mail." + proto + ".connectiontimeout", ms);
    p.put("mail." + proto + ".timeout", ms);
    p.put("mail." + proto + ".writetimeout", ms);
    p.put("mail." + proto + ".auth", Boolean.toString(c.string("username") != null));
    if ("starttls".equals(tls)) {
      p.put("mail.smtp.starttls.enable", "true");
      p.put("mail.smtp.starttls.required", "true");
      p.put("mail.smtp.ssl.checkserveridentity", "true");
    } else if ("tls".equals(tls)) {
      p.put("mail.smtps.ssl.checkserveridentity", "true");
    }
    return p;
  }

  @Override
  public void send(Channel c, Notice notice) throws DeliveryFailure {
    Properties p = properties(c);
    Session session = Session.getInstance(p);
    try {
      MimeMessage m = new MimeMessage(session);
      m.setFrom(new InternetAddress(c.string("from")));
      List<String> to = c.strings("to");
      InternetAddress[] rcpt = new InternetAddress[to.size()];
      for (int i = 0; i < rcpt.length; i++) {
        rcpt[i] = new InternetAddress(to.get(i));
      }
      m.setRecipients(Message.RecipientType.TO, rcpt);
      m.setSubject("Sluice " + notice.title(), StandardCharsets.UTF_8.name());
      m.setSentDate(new Date());
      MimeBodyPart text = new MimeBodyPart();
      text.setText(notice.text(), StandardCharsets.UTF_8.name());
      MimeBodyPart html = new MimeBodyPart();
      html.setContent(
          "<html><body><pre style=\"font-family:sans-serif\">"
              + notice.html()
              + "</pre></body></html>",
          "text/html; charset=UTF-8");
      MimeMultipart body = new MimeMultipart("alternative");
      body.addBodyPart(text);
      body.addBodyPart(html);
      m.setContent(body);
      m.saveChanges();
      try (Transport t = session.getTransport(p.getProperty("mail.transport.protocol"))) {
        String user = c.string("username");
        t.connect(user, user == null ? null : c.secrets().get("password"));
        t.sendMessage(m, m.getAllRecipients());
      }
    } catch (AddressException e) {
      throw new DeliveryFailure("bad address: " + e.getMessage(), false);
    } catch (AuthenticationFailedException e) {
      throw new DeliveryFailure("SMTP login refused", false);
    } catch (SendFailedException e) {
      throw new DeliveryFailure("SMTP refused the message: " + e.getMessage(), false);
    } catch (MessagingException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new DeliveryFailure(
          "SMTP " + c.string("host") + ":" + c.integer("port", 25) + ": " + cause, true);
    }
  }
}
