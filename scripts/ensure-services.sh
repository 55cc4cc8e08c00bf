#!/usr/bin/env bash
# Makes sure the PostgreSQL and Redis the tests use are up; starts them if not. Under CI=true, unreachable = failure.
set -uo pipefail

pg_up() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }
redis_up() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]; }

wait_for() { # name check
  for _ in $(seq 1 30); do "$2" && return 0; sleep 1; done
  return 1
}

if ! pg_up; then
  echo "PostgreSQL is down: starting it"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start 2>&1 || true
fi
if ! redis_up; then
  echo "Redis is down: starting it"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log 2>&1 || true
fi

status=0
if wait_for postgres pg_up; then echo "PostgreSQL: up"; else echo "PostgreSQL: UNREACHABLE on 127.0.0.1:5432"; status=1; fi
if wait_for redis redis_up; then echo "Redis: up"; else echo "Redis: UNREACHABLE on 127.0.0.1:6379"; status=1; fi
psql -h 127.0.0.1 -U postgres -d test -c 'select 1' >/dev/null 2>&1 || { echo "PostgreSQL: database 'test' not reachable as postgres"; status=1; }

if [ "$status" -ne 0 ] && [ "${CI:-}" = "true" ]; then
  echo "Required services are not reachable under CI=true: failing." >&2
  exit 1
fi
exit 0
