#!/bin/bash
# The top frames of a Flink job's task thread ("Source: ..."), sampled N times 150 ms apart, one
# line per sample; count them with: benchmarks/task_thread_stacks.sh <jvm pid> 60 | sort |
# uniq -c | sort -rn. Used beside benchmarks/in_flight.py (issue 18).
pid=$1; n=${2:-60}
for i in $(seq $n); do
  jstack $pid 2>/dev/null | awk '/^"Source: /{p=1} p&&/^$/{exit} p' | grep "at org.apache\|at io.github\|State" | grep -v "mailbox.TaskMailboxImpl\|misc.Unsafe" | head -7 | sed 's/^\s*at //; s/(.*//' | tr '\n' '|' ; echo
  sleep 0.15
done
