package io.sluice.vms.app;

import io.sluice.exits.app.DedicatedPortService;
import io.sluice.platform.problem.ApiException;
import io.sluice.users.app.ProxyEnvService;
import io.sluice.users.app.ProxyUserService;
import io.sluice.users.domain.ProxyUser;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Stand-ins for the users and exits services a VM needs: known users, dedicated ports assigned from
 * 10001 upwards, and a proxy env that names the port.
 */
final class Owners {

  final Set<Long> users;
  final Map<Long, Integer> ports = new TreeMap<>();
  long total;
  long active;

  Owners(Long... users) {
    this.users = Set.of(users);
    this.total = users.length;
    this.active = users.length;
  }

  ProxyUserService userService() {
    return new ProxyUserService() {
      @Override
      public ProxyUser get(long id) {
        if (!users.contains(id)) {
          throw ApiException.notFound("proxy user " + id);
        }
        Instant now = Instant.now();
        return new ProxyUser(
            id,
            "user" + id,
            true,
            null,
            0,
            0,
            0,
            0,
            List.of(),
            List.of(),
            null,
            null,
            List.of(),
            List.of(),
            now,
            now);
      }

      @Override
      public Counts counts() {
        return new Counts(total, active);
      }
    };
  }

  DedicatedPortService dedicated() {
    return new DedicatedPortService() {
      @Override
      public Result getOrAssign(long userId) {
        boolean created = !ports.containsKey(userId);
        int port = ports.computeIfAbsent(userId, u -> 10001 + ports.size());
        return new Result(new Assignment(userId, port, null, "auto", Instant.now()), created);
      }

      @Override
      public Optional<Assignment> get(long userId) {
        return Optional.ofNullable(ports.get(userId))
            .map(p -> new Assignment(userId, p, null, "auto", Instant.now()));
      }

      @Override
      public List<Assignment> all() {
        return ports.entrySet().stream()
            .map(e -> new Assignment(e.getKey(), e.getValue(), null, "auto", Instant.now()))
            .toList();
      }
    };
  }

  ProxyEnvService env() {
    return new ProxyEnvService() {
      @Override
      public Map<String, String> env(long userId) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HTTP_PROXY", "http://user" + userId + ":pw@proxy.example:" + ports.get(userId));
        env.put("NO_PROXY", "localhost,127.0.0.1,::1");
        return env;
      }
    };
  }
}
