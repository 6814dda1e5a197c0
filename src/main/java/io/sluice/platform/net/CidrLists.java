package io.sluice.platform.net;

import io.sluice.platform.problem.ApiException;

import io.sluice.engine.policy.SourceWhitelist;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/** Comma-separated CIDR lists kept in settings: split, validate, match (empty matches all). */
public final class CidrLists {

  private CidrLists() {}

  public static List<String> split(String s) {
    return s == null || s.isBlank() ? List.of()
        : Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
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
