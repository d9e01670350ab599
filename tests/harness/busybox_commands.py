"""The BusyBox differential suite's commands (tests/harness/busybox.py runs them).

Each Command is one `busybox sh -c TEXT`, run on the host's Linux and on Relay
in a fresh, empty working directory, with stdin /dev/null and the
environment of busybox.ENVIRONMENT; stdout, stderr and the exit status must
match. A command must print nothing that differs between two Linux runs:
no times, pids, inode numbers or the working directory's path.

known_bug, when set, names a Relay difference still open: the command runs,
a failure is reported as 'skip ...: known bug', a pass says the flag can go.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    name: str
    text: str
    known_bug: str = ""


# A file of known lines that several commands start from.
FRUIT = "printf 'pear\\napple\\nfig\\napple\\nkiwi\\n' > f; "

COMMANDS = [
    # ------------------------------------------------------------ pipelines
    Command("pipe-yes-head", "yes | head -3"),
    Command("pipe-seq-wc", "seq 1 10000 | wc -l"),
    Command("pipe-long", "seq 1 200 | grep 7 | sort -r | head -4 | tr '\\n' ' '; echo"),
    Command("pipe-status", "false | true; echo $?; true | false; echo $?"),
    Command("pipe-big", "seq 1 30000 | cat | cat | tail -1"),
    # ------------------------------------------------------------ redirections
    Command("redir-out", "echo one > a; echo two > a; cat a"),
    Command("redir-append", "echo one > a; echo two >> a; cat a"),
    Command("redir-in", "echo hello > a; tr a-z A-Z < a"),
    Command("redir-stderr", "ls nosuchfile 2>&1; echo $?"),
    Command("redir-stderr-file", "ls nosuchfile 2> e; echo $?; cat e"),
    Command("redir-fd", "exec 3> a; echo via3 >&3; exec 3>&-; cat a"),
    Command("redir-noclobber", "set -C; echo x > a; echo y > a; echo $?; cat a"),
    Command("heredoc", "cat <<EOF\nline one\n  $((1+2)) indented\nEOF"),
    Command("heredoc-quoted", "x=5; cat <<'EOF'\n$x stays\nEOF\ncat <<-EOF\n\ttabs go $x\n\tEOF"),
    # ------------------------------------------------------------ the shell
    Command("subst", "x=$(echo inner; echo two); echo \"[$x]\"; echo `echo back`"),
    Command("subst-status", "x=$(exit 3); echo $?"),
    Command("arith", "i=0; while [ $i -lt 5 ]; do i=$((i+1)); done; echo $i $((7*6)) $((17%5))"),
    Command("case-for", "for w in a1 b2 c3; do case $w in a*) echo A;; b*) echo B;; *) echo other;; esac; done"),
    Command("functions", "f() { echo \"args $# $1\"; return 4; }; f x y; echo $?"),
    Command("subshell", "x=1; (x=2; echo in $x); echo out $x; (exit 7); echo $?"),
    Command("exit-status", "sh -c 'exit 42'; echo $?"),
    Command("exit-signal", "sh -c 'kill -TERM $$'; echo $?"),
    Command("exit-signal-kill", "sh -c 'kill -9 $$'; echo $?; sh -c 'kill -INT $$'; echo $?"),
    Command("exit-own", "echo bye; exit 3"),
    Command("not-found", "nosuchcommand; echo $?"),
    Command("trap-exit", "trap 'echo trapped EXIT' EXIT; echo body"),
    Command("trap-signal", "trap 'echo got USR1' USR1; kill -USR1 $$; echo after"),
    Command("trap-ignore", "trap '' TERM; kill -TERM $$; echo survived; trap - TERM; trap"),
    Command("kill-l", "kill -l"),
    Command("kill-l-number", "kill -l 9; kill -l 15; kill -l 130"),
    Command("background-wait", "sleep 0.2 & echo started; wait $!; echo waited $?"),
    Command("wait-status", "(exit 5) & wait $!; echo $?; sh -c 'kill -KILL $$' & wait $!; echo $?"),
    Command("stop-cont",
            "sleep 1 & p=$!; kill -STOP $p; sleep 0.1; kill -CONT $p; wait $p; echo done $?"),
    Command("kill-background", "sleep 5 & kill $!; wait $!; echo $?"),
    Command("sleep", "sleep 0.1; echo slept; sleep 1 && echo again"),
    Command("timeout-kill", "timeout 1 sleep 5; echo $?"),
    Command("read-timeout-pipe", "sleep 1 | (read -t 0.2 x; echo $?)"),
    Command("read-loop", "printf 'a b\\nc d\\n' | while read x y; do echo \"$y-$x\"; done"),
    Command("set-args", "set -- one two three; shift; echo $# $@"),
    Command("eval-export", "eval 'v=evaluated'; export v; sh -c 'echo $v'"),
    Command("env-sorted", "FOO=bar env | grep -v '^PWD=' | sort"),
    # ------------------------------------------------------------ text
    Command("echo-printf", "echo -n no-newline; echo; printf '%s=%d %x %5.2f|%-4s|\\n' a 42 255 3.14159 ab"),
    Command("echo-escapes", "echo -e 'tab\\there\\nnext'; printf 'oct\\101\\n'"),
    Command("tr", "echo 'Hello, World' | tr -d ',' | tr 'a-z' 'A-Z'; echo aabbcc | tr -s abc"),
    Command("sort", FRUIT + "sort f; sort -r f; sort -u f"),
    Command("sort-numeric", "printf '10\\n9\\n100\\n-3\\n' | sort -n; printf 'b 2\\na 1\\n' | sort -k2"),
    Command("uniq", FRUIT + "sort f | uniq -c; sort f | uniq -d"),
    Command("cut", "echo 'a:b:c:d' | cut -d: -f2,4; echo abcdef | cut -c2-4"),
    Command("sed", FRUIT + "sed -n '2,3p' f; sed 's/a/A/g' f; sed '/fig/d' f | wc -l"),
    Command("sed-inplace", FRUIT + "sed -i 's/kiwi/lime/' f; cat f; ls"),
    Command("grep", FRUIT + "grep -n apple f; grep -c p f; grep -v -e a -e i f; grep -q zzz f; echo $?"),
    Command("grep-regex", "printf 'ab1\\nxy22\\n333\\n' | grep -E '[0-9]{2,}'; grep x nosuch; echo $?"),
    Command("awk", FRUIT + "awk '{n[$1]++} END {for (k in n) s += n[k]; print NR, s}' f"),
    Command("awk-fields", "echo 'a b c' | awk '{print $3, $1; print NF}'; awk 'BEGIN{printf \"%d %s\\n\", 2^10, substr(\"hello\", 2, 3)}'"),
    Command("wc", FRUIT + "wc f; wc -l < f; wc -c f"),
    Command("head-tail", "seq 1 20 > n; head -n 2 n; tail -n 3 n; tail -c 5 n; head -c 4 n; echo"),
    Command("tail-plus", "seq 1 5 | tail -n +4"),
    # ------------------------------------------------------------ files
    Command("mkdir-ls", "mkdir -p a/b/c; mkdir d; touch a/x d/y; ls; ls -R a"),
    Command("ls-1", "touch b a c .hidden; ls -1; ls -1a; ls -d ."),
    Command("ls-l", "echo hi > f; chmod 640 f; mkdir d; ln -s f l; ls -l | cut -c1-10 | sort"),
    Command("ls-l-fields", "printf 12345 > f; ls -l f | awk '{print $1, $2, $3, $4, $5, $9}'"),
    Command("cp", "echo data > a; cp a b; cat b; mkdir d; cp a b d; ls d; cp -r d e; ls e"),
    Command("mv", "echo data > a; mv a b; ls; cat b; mkdir d; mv b d; ls d; mv d e; ls"),
    Command("mv-over", "echo new > a; echo old > b; mv a b; cat b; ls"),
    Command("rm", "touch a b; mkdir -p d/e; rm a; ls; rm -r d; ls; rm nosuch; echo $?; rm -f nosuch; echo $?"),
    Command("rmdir", "mkdir -p a/b; rmdir a; echo $?; rmdir a/b a; ls"),
    Command("ln-s", "echo target > t; ln -s t l; cat l; readlink l; ln t h; cat h; ls -1"),
    Command("ln-dangling", "ln -s nowhere l; cat l; echo $?; test -L l && echo is-link"),
    Command("cat", "echo a > 1; echo b > 2; cat 1 2; cat 1 - 2 < 1; cat nosuch; echo $?"),
    Command("test", "touch f; mkdir d; [ -f f ] && echo file; [ -d d ] && echo dir; "
            "[ -e nosuch ] || echo absent; test 3 -gt 2 && echo gt; [ abc = abc ] && echo eq; "
            "[ -s f ] || echo empty; [ -x f ] || echo not-exec; [ -z '' ] && echo zero"),
    Command("touch", "touch a; ls; touch -d '2001-02-03 04:05:06' a; stat -c '%Y %s %n' a"),
    Command("touch-reference", "touch -d '2010-01-01 00:00:00' a; touch -r a b; stat -c '%Y %X %n' b"),
    Command("chmod", "touch f; chmod 751 f; stat -c '%a %A' f; chmod u-x,g+w,o= f; stat -c '%a %A' f; "
            "chmod -R 700 .; stat -c %a f"),
    Command("chown", "touch f; chown 12:34 f; stat -c '%u %g' f; chown -h 5 f; stat -c %u f"),
    Command("stat-c", "printf abc > f; mkdir d; stat -c '%s %F %a %h' f; stat -c '%F %a %h' d; ln -s f l; stat -c '%F %N' l"),
    Command("find", "mkdir -p a/b; touch a/x a/b/y z; find . | sort; find . -name 'y'; find . -type d | sort"),
    Command("find-exec", "mkdir d; touch d/1 d/2; find d -type f -exec echo file {} \\; | sort"),
    Command("xargs", "printf 'a\\nb\\nc\\n' | xargs echo X; printf '1 2 3 4' | xargs -n 2 echo"),
    Command("basename-dirname", "basename /a/b/c.txt; basename /a/b/c.txt .txt; dirname /a/b/c.txt; dirname c"),
    Command("truncate", "echo hello world > f; truncate -s 5 f; cat f; echo; truncate -s 8 f; wc -c f; od -c f"),
    Command("dd", "dd if=/dev/zero of=z bs=512 count=3 2>/dev/null; wc -c z; "
            "echo abcdef | dd bs=1 skip=2 count=3 2>/dev/null; echo"),
    Command("du", "mkdir d; printf 12345 > d/f; du -b d/f; du -k d/f"),
    Command("md5sum", "printf 'abc' > f; md5sum f; sha256sum f | cut -c1-16"),
    Command("tee", "echo teed | tee a b; cat a b"),
    Command("mktemp-rm", "f=$(mktemp -p .); test -f \"$f\" && echo made; rm \"$f\"; ls | wc -l"),
    Command("cmp-diff", "echo a > x; echo b > y; cmp x y; echo $?; diff x y | tail -2; echo $?"),
    Command("sync-fsync", "echo data > f; sync; fsync f 2>/dev/null; echo $?; cat f"),
    Command("cp-preserve", "touch -d '2005-05-05 05:05:05' a; chmod 600 a; cp -p a b; "
            "stat -c '%a %Y' b"),
    Command("mv-dir-into", "mkdir -p a/x b; mv a b/; find b | sort; mv b/a/x b/y; ls b"),
    Command("ln-sf", "echo 1 > t1; echo 2 > t2; ln -s t1 l; ln -sf t2 l; cat l; readlink l"),
    Command("sort-big", "seq 1 20000 | sort -rn | head -2; seq 1 20000 | sort | tail -1"),
    Command("big-pipes", "head -c 100000 /dev/zero | wc -c; seq 1 3000 | xargs echo | wc -w; "
            "seq 5 | tac"),
    Command("gzip", "seq 1 100 > n; gzip -c n > n.gz; gunzip -c n.gz | tail -1; ls"),
    Command("tar", "mkdir d; echo x > d/f; tar -cf t.tar d; rm -r d; tar -xf t.tar; cat d/f; tar -tf t.tar"),
    # ------------------------------------------------------------ identity and limits
    Command("renice", "renice -n 3 $$; echo $?; renice -n 1 -p $$; echo $?; renice -n 1 -p 999999; "
            "echo $?"),
    # (head's death by SIGXFSZ is not shown: Relay says "core dumped" for it, whatever
    # RLIMIT_CORE, where Linux dumps no core under the default limit of 0)
    Command("ulimit-fsize", "(ulimit -f 1; ulimit -f; yes | head -c 4096 > big; echo $?) "
            "2>/dev/null; wc -c < big; (ulimit -f 2; echo abc >> big; echo $?); wc -c < big"),
    Command("ulimit-soft", "ulimit -S -n 20; ulimit -S -n; ulimit -H -f 8; ulimit -f 9; echo $?; "
            "ulimit -f"),
]
