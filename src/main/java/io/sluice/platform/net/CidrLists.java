package io.sluice.platform.net;

import io.sluice.engine.policy.CommaList;
import io.sluice.engine.policy.SourceWhitelist;
import io.sluice.platform.problem.ApiException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Comma-separated CIDR lists kept in settings: split, validate, match (empty matches all). */
public final class CidrLists {

  private CidrLists() {}

  /**
   * The trimmed, non-empty entries of {@code s} (see {@link CommaList#split}); null or blank gives
   * none.
   */
  public static List<String> split(String s) {
    return CommaList.split(s);
  }

  public static void validate(String field, List<String> cidrs) {
    try {
      SourceWhitelist.parse(cidrs);
    } catch (IllegalArgumentException e) {
      throw ApiException.validation(field, e.getMessage());
    }
  }

  /** True when the list is empty or contains {@code ip} (an IP literal: no DNS lookup). */
  public static boolean allows(List<String> cidrs, String ip) {
    if (cidrs.isEmpty()) {
      return true;
    }
    try {
      return SourceWhitelist.parse(cidrs).matches(InetAddress.getByName(ip));
    } catch (UnknownHostException | IllegalArgumentException e) {
      return false;
    }
  }
}
