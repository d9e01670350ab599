"""tools/relay: argument parsing, ELF checks, --keys, exit statuses, and the
QEMU plumbing (three serial sockets + QMP) against a fake QEMU."""

import contextlib
import io
import os
import struct
import subprocess
import sys
import tempfile
import textwrap
import unittest

import support

ROOT = os.path.dirname(support.TESTS_DIR)
TOOL = os.path.join(ROOT, "tools", "relay")


relay = support.load_tool("relay_tool", TOOL)


def elf(cls=1, data=1, machine=3, etype=2, phdrs=((1,),), phoff=52, truncate=None):
    """Bytes of a small ELF file with the given header fields and p_types."""
    phentsize = 32
    header = struct.pack("<4sBBBB8xHHIIIIIHHHHHH", b"\x7fELF", cls, data, 1, 0,
                         etype, machine, 1, 0x08048000, phoff, 0, 0, 52, phentsize,
                         len(phdrs), 40, 0, 0)
    body = b"".join(struct.pack("<IIIIIIII", p[0], 0, 0, 0, 0, 0, 5, 0x1000) for p in phdrs)
    blob = header + body + b"\x90" * 16
    return blob[:truncate] if truncate is not None else blob


class TempDir(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="relay-tool-test-")
        self.addCleanup(lambda: subprocess.run(["rm", "-rf", self.dir]))

    def write(self, name, data, mode=0o755):
        path = os.path.join(self.dir, name)
        with open(path, "wb") as f:
            f.write(data)
        os.chmod(path, mode)
        return path


class Arguments(unittest.TestCase):
    def test_defaults(self):
        opts = relay.parse_args(["run", "prog"])
        self.assertEqual((opts.program, opts.args, opts.irq, opts.keys), ("prog", [], None, []))
        self.assertEqual(opts.timeout, relay.DEFAULT_TIMEOUT)
        self.assertFalse(opts.icount or opts.verbose)
        self.assertTrue(opts.build)

    def test_every_option(self):
        opts = relay.parse_args(["run", "--irq=apic", "--keys=a,ret", "--timeout=2.5",
                                 "--icount", "--trace=t.out", "--verbose", "--no-build",
                                 "--log=x.log", "--module=m1", "--module", "m2", "prog"])
        self.assertEqual(opts.irq, "apic")
        self.assertEqual(opts.keys, [("key", "a"), ("key", "ret")])
        self.assertEqual(opts.timeout, 2.5)
        self.assertTrue(opts.icount and opts.verbose and not opts.build)
        self.assertEqual((opts.trace, opts.log, opts.modules), ("t.out", "x.log", ["m1", "m2"]))

    def test_program_args_are_not_options(self):
        opts = relay.parse_args(["run", "--icount", "prog", "--verbose", "-x", "3"])
        self.assertEqual(opts.args, ["--verbose", "-x", "3"])
        self.assertFalse(opts.verbose)
        self.assertEqual(relay.parse_args(["run", "--", "-prog"]).program, "-prog")

    def test_help(self):
        self.assertIsNone(relay.parse_args([]))
        self.assertIsNone(relay.parse_args(["run", "--help"]))

    def test_bad_input(self):
        cases = {
            ("run", "--frob", "p"): "unknown option '--frob'",
            ("start", "p"): "unknown command",
            ("run",): "no PROGRAM",
            ("run", "--irq=ioapic", "p"): "pic or apic",
            ("run", "--timeout=soon", "p"): "number of seconds",
            ("run", "--timeout=0", "p"): "positive",
            ("run", "--icount=1", "p"): "takes no value",
            ("run", "--keys"): "needs a value",
            ("run", "p", "a\0b"): "NUL byte",
            ("run", "p") + ("x",) * 64: "too many arguments",
            ("run", "p", "x" * 3100): "too long",
            ("run", "--root=/no/such/dir", "p"): "not a directory",
            ("run", "--boot=hz", "p"): "KEY=VALUE",
            ("run", "--boot==3", "p"): "KEY=VALUE",
            ("run", "--boot=hz=", "p"): "KEY=VALUE",
            ("run", "--boot=HZ=3", "p"): "lower-case",
            ("run", "--boot=log=a b", "p"): "whitespace",
        }
        for argv, fragment in cases.items():
            with self.subTest(argv=argv):
                with self.assertRaises(relay.UsageError) as caught:
                    relay.parse_args(list(argv))
                self.assertIn(fragment, str(caught.exception))

    def test_main_exits_2_on_usage_errors(self):
        for argv in (["run", "--frob", "p"], ["run", "/no/such/file"], ["run"]):
            with self.subTest(argv=argv), contextlib.redirect_stderr(io.StringIO()) as err:
                self.assertEqual(relay.main(argv), relay.EXIT_USAGE)
                self.assertIn("relay: ", err.getvalue())


class Build(unittest.TestCase):
    """tools/relay runs `make -s kernel user` before each run: on a built tree
    that must cost next to nothing. make's built-in rules, tried against
    user/Makefile's match-anything program rules, once made it ~2 s and
    3.4 million lines of `make -d`; without them it is about 7,000."""

    MAX_DEBUG_LINES = 100_000

    def test_user_makefile_does_not_search_built_in_rules(self):
        build = tempfile.mkdtemp(prefix="relay-build-test-")
        self.addCleanup(lambda: subprocess.run(["rm", "-rf", build]))
        proc = subprocess.run(["make", "-d", "-n", "-C", os.path.join(ROOT, "user"),
                               f"BUILD={build}", "CC=true", "AR=true"],
                              capture_output=True, text=True, timeout=60)
        lines = proc.stdout.count("\n")
        self.assertLess(lines, self.MAX_DEBUG_LINES, "make -d searched too much")


class Keys(unittest.TestCase):
    def test_steps(self):
        self.assertEqual(relay.parse_keys("after=$ ,e,c,h,o,spc,shift-a,ret,sleep=250,"
                                          "ctrl-c,ctrl-backslash,ctrl-z"),
                         [("after", b"$ "), ("key", "e"), ("key", "c"), ("key", "h"),
                          ("key", "o"), ("key", "spc"), ("key", "shift-a"), ("key", "ret"),
                          ("sleep", 0.25), ("key", "ctrl-c"), ("key", "ctrl-backslash"),
                          ("key", "ctrl-z")])

    def test_escapes_in_after(self):
        self.assertEqual(relay.parse_keys(r"after=a\,b\nc\\d,ret"),
                         [("after", b"a,b\nc\\d"), ("key", "ret")])

    def test_minus_and_its_combo(self):
        self.assertEqual(relay.parse_keys("-,ctrl--"), [("key", "-"), ("key", "ctrl--")])

    def test_bad_steps(self):
        cases = {"": "at least one step", "a,,b": "empty step", "a,": "empty step",
                 "after=": "needs a TEXT", "sleep=x": "milliseconds", "sleep=-5": "milliseconds",
                 "wait=3": "unknown step", "enter": "not a QEMU key name",
                 "ctrl-q-": "", "control-c": "'control'"}
        for text, fragment in cases.items():
            with self.subTest(text=text):
                with self.assertRaises(relay.UsageError) as caught:
                    relay.parse_keys(text)
                self.assertIn(fragment, str(caught.exception))


class ElfChecks(TempDir):
    def check(self, data):
        return relay.check_elf(self.write("p", data))

    def assertRefused(self, data, fragment):
        with self.assertRaises(relay.UsageError) as caught:
            self.check(data)
        self.assertIn(fragment, str(caught.exception))
        return str(caught.exception)

    def test_static_i386_is_accepted(self):
        self.assertIsNone(self.check(elf()))

    def test_missing_file(self):
        with self.assertRaises(relay.UsageError) as caught:
            relay.check_elf(os.path.join(self.dir, "nope"))
        self.assertIn("no such file", str(caught.exception))

    def test_directory(self):
        self.assertRaises(relay.UsageError, relay.check_elf, self.dir)

    def test_not_elf(self):
        self.assertRefused(b"#!/bin/sh\necho hi\n", "not an ELF")
        self.assertRefused(b"", "not an ELF")

    def test_truncated(self):
        self.assertRefused(elf(truncate=30), "truncated")
        self.assertRefused(elf(truncate=60), "truncated")

    def test_elf64(self):
        self.assertRefused(elf(cls=2), "64-bit")

    def test_big_endian(self):
        self.assertRefused(elf(data=2), "big-endian")

    def test_wrong_machine(self):
        text = self.assertRefused(elf(machine=62), "machine 62")
        self.assertIn(relay.NOT_STATIC_I386, text)

    def test_dynamic(self):
        text = self.assertRefused(elf(phdrs=((6,), (3,), (1,))), "dynamically linked")
        self.assertIn("Relay runs static i386 executables", text)
        self.assertRefused(elf(phdrs=((1,), (2,))), "dynamically linked")

    def test_pie_and_relocatable(self):
        self.assertRefused(elf(etype=3), "position-independent")
        self.assertRefused(elf(etype=1), "not an executable")

    def test_no_program_headers(self):
        self.assertRefused(elf(phdrs=()), "no program headers")

    def test_real_host_binary_is_refused(self):
        if os.path.exists("/bin/sh"):
            self.assertRaises(relay.UsageError, relay.check_elf, "/bin/sh")


class ExitStatus(unittest.TestCase):
    def test_wait_status(self):
        self.assertEqual(relay.status_from_wait(0), 0)
        self.assertEqual(relay.status_from_wait(7 << 8), 7)
        self.assertEqual(relay.status_from_wait(130 << 8), 130)   # init: 128 + SIGINT
        self.assertEqual(relay.status_from_wait(9), 137)           # init itself killed
        self.assertEqual(relay.status_from_wait(11 | 0x80), 139)   # ... with core

    def test_job_stop_line(self):
        self.assertEqual(relay.parse_job_stop("init: job stopped by signal 20"), 20)
        self.assertIsNone(relay.parse_job_stop("init: cannot run x: errno 2"))
        self.assertEqual(relay.signal_name(19), "SIGSTOP")
        self.assertEqual(relay.signal_name(99), "signal 99")
        code, why = relay.decide(relay.Outcome(33, init_status=148 << 8, stop_signal=20))
        self.assertEqual((code, why), (148, "stopped by SIGTSTP"))

    def test_init_line(self):
        self.assertEqual(relay.parse_init_exit("relay: init exited with wait status 768"), 768)
        self.assertEqual(relay.parse_init_exit("relay: init exited with wait status 0x300"), 768)
        self.assertIsNone(relay.parse_init_exit("relay: init exited with wait status ?"))
        self.assertIsNone(relay.parse_init_exit("boot: cmdline"))

    def test_decide(self):
        O = relay.Outcome
        self.assertEqual(relay.decide(O(33, init_status=3 << 8))[0], 3)
        self.assertEqual(relay.decide(O(37, panic=True))[0], relay.EXIT_PANIC)
        self.assertEqual(relay.decide(O(37))[0], relay.EXIT_PANIC)
        self.assertEqual(relay.decide(O(None, panic=True, timed_out=True))[0], relay.EXIT_PANIC)
        self.assertEqual(relay.decide(O(None, timed_out=True))[0], relay.EXIT_TIMEOUT)
        code, why = relay.decide(O(0))
        self.assertEqual(code, relay.EXIT_MACHINE)
        self.assertIn("triple fault", why)
        self.assertEqual(relay.decide(O(1))[0], relay.EXIT_MACHINE)
        self.assertEqual(relay.decide(O(None, start_error="x"))[0], relay.EXIT_MACHINE)

    def test_codes_are_distinct(self):
        codes = {relay.EXIT_USAGE, relay.EXIT_TIMEOUT, relay.EXIT_PANIC, relay.EXIT_MACHINE}
        self.assertEqual(len(codes), 4)
        self.assertEqual(relay.EXIT_TIMEOUT, 124)


class Command(unittest.TestCase):
    def test_qemu_argv(self):
        opts = relay.parse_args(["run", "--irq=pic", "--icount", "p"])
        initrd = "/t/initramfs.cpio"
        argv = relay.qemu_command("qemu-system-i386", "/r/relay.elf", opts, initrd,
                                  ["/t/c1", "/t/c2", "/t/c3"], "/t/q")
        self.assertEqual(argv[:7], ["qemu-system-i386", "-kernel", "/r/relay.elf", "-append",
                                    "stdio=split irq=pic -- --run-file /etc/relay/argv",
                                    "-initrd", initrd])
        serials = [argv[i + 1] for i, a in enumerate(argv) if a == "-serial"]
        self.assertEqual(serials, ["unix:/t/c1", "unix:/t/c2", "unix:/t/c3"])
        for word in ("-no-reboot", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                     "unix:/t/q,server=on,wait=off", "shift=0,sleep=off",
                     "base=2020-01-01T00:00:00,clock=vm"):
            self.assertIn(word, argv)

    def test_boot_options_reach_the_kernel_command_line(self):
        opts = relay.parse_args(["run", "--irq=apic", "--boot=hz=1000", "--boot", "log=debug",
                                 "p"])
        argv = relay.qemu_command("q", "k", opts, "i", ["a", "b", "c"], "s")
        self.assertEqual(argv[argv.index("-append") + 1],
                         "stdio=split irq=apic hz=1000 log=debug -- --run-file /etc/relay/argv")

    def test_any_argument_but_nul_is_accepted(self):
        opts = relay.parse_args(["run", "p", "a,b", "two words", "", "x/y"])
        self.assertEqual(opts.args, ["a,b", "two words", "", "x/y"])

    def test_the_initramfs_holds_init_the_program_its_argv_and_the_roots(self):
        tmp = tempfile.mkdtemp(prefix="relay-initramfs-test-")
        self.addCleanup(lambda: subprocess.run(["rm", "-rf", tmp]))
        os.makedirs(os.path.join(tmp, "root", "etc"))
        for name, data in (("init", b"I"), ("prog", b"P"), ("mod", b"M"),
                           ("root/etc/motd", b"hi")):
            with open(os.path.join(tmp, name), "wb") as f:
                f.write(data)
        path = relay.build_initramfs(os.path.join(tmp, "out.cpio"), os.path.join(tmp, "init"),
                                     "prog", ["a b", ""], os.path.join(tmp, "prog"),
                                     [os.path.join(tmp, "mod")], [os.path.join(tmp, "root")])
        with open(path, "rb") as f:
            data = f.read()
        for name in (b"bin/init\0", b"bin/prog\0", b"bin/mod\0", b"etc/motd\0", b"tmp\0",
                     b"etc/relay/argv\0", b"prog\0a b\0\0", b"TRAILER!!!\0"):
            self.assertIn(name, data)

    def test_no_icount_no_irq(self):
        opts = relay.parse_args(["run", "p"])
        argv = relay.qemu_command("q", "k", opts, "i", ["a", "b", "c"], "s")
        self.assertNotIn("-icount", argv)
        self.assertEqual(argv[argv.index("-append") + 1],
                         "stdio=split -- --run-file /etc/relay/argv")

    def test_staged_names(self):
        self.assertEqual(relay.staged_name("build/user/hello"), "hello")
        self.assertEqual(relay.staged_name("/x/init"), "init.prog")
        self.assertEqual(relay.staged_name("/dir with space/a,b c"), "a,b c")


# A stand-in for qemu-system-i386: connects to the three serial sockets and
# the QMP socket like QEMU, and acts out FAKE_SCRIPT (one step per line).
FAKE_QEMU = textwrap.dedent(r'''
    import json, os, socket, sys, threading, time
    argv = sys.argv[1:]
    serial = [argv[i + 1][len("unix:"):] for i, a in enumerate(argv)
              if a == "-serial" and argv[i + 1].startswith("unix:")]
    qmp_path = argv[argv.index("-qmp") + 1][len("unix:"):].split(",")[0]
    with open(os.environ["FAKE_ARGV"], "w") as f:
        json.dump(argv, f)
    with open(argv[argv.index("-initrd") + 1], "rb") as src:   # gone after the run: keep it
        with open(os.environ["FAKE_ARGV"] + ".initrd", "wb") as dst:
            dst.write(src.read())
    ports = []
    for path in serial:
        s = socket.socket(socket.AF_UNIX); s.connect(path); ports.append(s)
    keys = []
    def qmp():
        srv = socket.socket(socket.AF_UNIX); srv.bind(qmp_path); srv.listen(1)
        conn, _ = srv.accept(); stream = conn.makefile("rwb")
        stream.write(b'{"QMP": {}}\n'); stream.flush()
        for line in stream:
            req = json.loads(line)
            if req["execute"] == "send-key":
                keys.append("-".join(k["data"] for k in req["arguments"]["keys"]))
            stream.write(json.dumps({"id": req["id"], "return": {}}).encode() + b"\n")
            stream.flush()
    threading.Thread(target=qmp, daemon=True).start()
    for step in os.environ["FAKE_SCRIPT"].split("\n"):
        verb, _, arg = step.partition(" ")
        if verb in ("com1", "com2", "com3"):
            ports[int(verb[3]) - 1].sendall(arg.encode().decode("unicode_escape").encode("latin-1"))
        elif verb == "flood":           # a long kernel log, left in the socket buffer
            try:
                ports[0].setsockopt(socket.SOL_SOCKET, 32, 8 << 20)   # SO_SNDBUFFORCE
            except OSError:
                ports[0].setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 8 << 20)
            ports[0].sendall((b"x" * 99 + b"\n") * (int(arg) // 100))
        elif verb == "sleep":
            time.sleep(float(arg))
        elif verb == "keys":            # wait for N keys, then echo them on COM2
            deadline = time.time() + 5
            while len(keys) < int(arg) and time.time() < deadline:
                time.sleep(0.01)
            ports[1].sendall(("keys: " + " ".join(keys) + "\n").encode())
        elif verb == "exit":
            os._exit(int(arg))
    os._exit(0)
''')


class FakeQemu(TempDir):
    """tools/relay run end to end, with a fake QEMU standing in."""

    def setUp(self):
        super().setUp()
        self.fake = self.write("fake-qemu", ("#!" + sys.executable + "\n" + FAKE_QEMU).encode())
        self.kernel = self.write("relay.elf", b"kernel")
        self.init = self.write("init", elf())
        self.program = self.write("prog", elf())

    def run_tool(self, script, *options, args=()):
        env = dict(os.environ, RELAY_QEMU=self.fake, RELAY_KERNEL=self.kernel,
                   RELAY_INIT=self.init, FAKE_SCRIPT="\n".join(script),
                   FAKE_ARGV=os.path.join(self.dir, "argv.json"))
        argv = [sys.executable, TOOL, "run", "--no-build", f"--log={self.dir}/log",
                *options, self.program, *args]
        return subprocess.run(argv, env=env, capture_output=True, timeout=30)

    def test_streams_and_status(self):
        proc = self.run_tool(["com1 boot\\r\\n", "com2 out\\x00put\\n", "com3 oops\\n",
                              "com2 no newline",
                              "com1 relay: init exited with wait status 1792\\r\\n",
                              "exit 33"], args=["one", "two"])
        self.assertEqual(proc.stdout, b"out\x00put\nno newline")
        self.assertIn(b"oops\n", proc.stderr)
        self.assertEqual(proc.returncode, 7, proc.stderr)
        with open(os.path.join(self.dir, "log"), "rb") as f:
            self.assertIn(b"boot\r\n", f.read())
        with open(os.path.join(self.dir, "argv.json")) as f:
            argv = __import__("json").load(f)
        self.assertTrue(argv[argv.index("-append") + 1].endswith(
            " -- --run-file /etc/relay/argv"))
        with open(os.path.join(self.dir, "argv.json.initrd"), "rb") as f:
            archive = f.read()
        for member in (b"bin/init\0", b"bin/prog\0", b"etc/relay/argv\0", b"prog\0one\0two\0"):
            self.assertIn(member, archive)

    def test_report_still_in_flight_when_qemu_exits(self):
        # QEMU exits at once after init's report; the report is still in the
        # socket buffer behind a long log, and must still be found.
        proc = self.run_tool(["flood 4000000", "com1 relay: init exited with wait status 1280\\n", "exit 33"])
        self.assertEqual(proc.returncode, 5, proc.stderr[-300:])

    def test_signal_death_is_128_plus_n(self):
        proc = self.run_tool(["com1 relay: init exited with wait status 33280\\n", "exit 33"])
        self.assertEqual(proc.returncode, 130)

    def test_stopped_job_is_reported_as_a_shell_does(self):
        # init's console line, then its exit with 128 + SIGSTOP (147 << 8).
        proc = self.run_tool(["com1 init: job stopped by signal 19\\r\\n",
                              "com1 relay: init exited with wait status 37632\\n", "exit 33"])
        self.assertEqual(proc.returncode, 147, proc.stderr)
        self.assertIn(b"relay: stopped by SIGSTOP\n", proc.stderr)
        self.assertNotIn(b"kernel log in", proc.stderr)

    def test_panic(self):
        proc = self.run_tool(["com1 KERNEL PANIC: page fault\\n", "com1 eip=c0101234\\n",
                              "exit 37"])
        self.assertEqual(proc.returncode, relay.EXIT_PANIC)
        self.assertIn(b"kernel panic", proc.stderr)
        self.assertIn(b"eip=c0101234", proc.stderr)

    def test_panic_without_exit_is_cut_short(self):
        proc = self.run_tool(["com1 KERNEL PANIC: stuck\\n", "sleep 20"], "--timeout=15")
        self.assertEqual(proc.returncode, relay.EXIT_PANIC)

    def test_triple_fault(self):
        proc = self.run_tool(["com1 about to fault\\n", "exit 0"])
        self.assertEqual(proc.returncode, relay.EXIT_MACHINE)
        self.assertIn(b"triple fault", proc.stderr)
        self.assertIn(b"about to fault", proc.stderr)

    def test_timeout(self):
        proc = self.run_tool(["com1 hanging\\n", "sleep 10"], "--timeout=0.5")
        self.assertEqual(proc.returncode, relay.EXIT_TIMEOUT)
        self.assertIn(b"did not finish within 0.5 s", proc.stderr)

    def test_keys_wait_for_output(self):
        proc = self.run_tool(["com2 $ ", "keys 3",
                              "com1 relay: init exited with wait status 0\\n", "exit 33"],
                             "--keys=after=$ ,a,shift-b,ctrl-c")
        self.assertEqual(proc.stdout, b"$ keys: a shift-b ctrl-c\n")
        self.assertEqual(proc.returncode, 0)

    def test_keys_after_text_never_printed(self):
        proc = self.run_tool(["com2 nothing\\n", "keys 0",
                              "com1 relay: init exited with wait status 0\\n", "exit 33"],
                             "--keys=after=prompt>,a")
        self.assertEqual(proc.stdout, b"nothing\nkeys: \n")
        self.assertIn(b"ended before printing 'prompt>'", proc.stderr)

    def test_trace_turns_on_the_kernel_trace_on_com4(self):
        trace = os.path.join(self.dir, "t.trace")
        proc = self.run_tool(["com1 relay: init exited with wait status 0\\n", "exit 33"],
                             f"--trace={trace}")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(os.path.join(self.dir, "argv.json")) as f:
            argv = __import__("json").load(f)
        self.assertIn("trace=all", argv[argv.index("-append") + 1])
        serials = [argv[i + 1] for i, word in enumerate(argv) if word == "-serial"]
        self.assertEqual(len(serials), 4)
        self.assertEqual(serials[3], f"file:{trace}")

    def test_missing_kernel(self):
        env = dict(os.environ, RELAY_KERNEL=os.path.join(self.dir, "nokernel"),
                   RELAY_INIT=self.init)
        proc = subprocess.run([sys.executable, TOOL, "run", self.program], env=env,
                              capture_output=True, timeout=30)
        self.assertEqual(proc.returncode, relay.EXIT_USAGE)
        self.assertIn(b"run `make`", proc.stderr)


class Differential(TempDir):
    """tests/harness/differential.py without QEMU."""

    def setUp(self):
        super().setUp()
        from harness import differential
        self.diff = differential

    def test_probe_elf_passes_our_own_check(self):
        path = self.write("probe", self.diff.probe_elf(42))
        self.assertIsNone(relay.check_elf(path))

    def test_names_and_selection(self):
        os.makedirs(os.path.join(self.dir, "user", "tests"))
        for name in ("test-b.c", "test-a.c", "check.h", "exec-target.c"):
            self.write(os.path.join("user", "tests", name), b"")
        self.assertEqual(self.diff.entry_names(self.dir), ["diff.test-a", "diff.test-b"])
        self.assertEqual(self.diff.select(self.dir, ["diff.test-b", "diff", "diff.x"]),
                         (["test-b", "test-a"], ["diff.x"]))
        self.assertTrue(self.diff.is_group_name("diff.test-a"))
        self.assertFalse(self.diff.is_group_name("diffuse"))

    def test_exec_target_per_side(self):
        self.assertEqual(self.diff.program_args("test-exec", "/r", "host"),
                         (["/r/build/user/exec-target"], []))
        self.assertEqual(self.diff.program_args("test-exec", "/r", "relay"),
                         (["exec-target"], ["/r/build/user/exec-target"]))

    def test_job_environment_follows_init(self):
        os.makedirs(os.path.join(self.dir, "user", "bin"))
        self.write(os.path.join("user", "bin", "init.c"),
                   b'static char *const job_env[] = {"B=2", "A=", NULL};')
        self.assertEqual(list(self.diff.job_environment(self.dir).items()),
                         [("B", "2"), ("A", "")])

    def test_compare(self):
        Side, PASS, FAIL = self.diff.Side, "pass", "fail"
        same = self.diff.compare("diff.t", Side(b"a\n", 3, b""), Side(b"a\n", 3, b"log"))
        self.assertEqual((same.verdict, same.render()), (PASS, "ok   diff.t"))
        out = self.diff.compare("diff.t", Side(b"a\nb\n", 0, b""), Side(b"a\nc\n", 0, b""))
        self.assertEqual((out.verdict, out.reason), (FAIL, "stdout differs"))
        self.assertIn("-b", out.details)
        self.assertIn("+c", out.details)
        status = self.diff.compare("diff.t", Side(b"", 0, b""), Side(b"", 125, b"", "kernel panic"))
        self.assertEqual(status.reason, "kernel panic; exit status differs: host 0, Relay 125")
        crlf = self.diff.compare("diff.t", Side(b"a\n", 0, b""), Side(b"a\r\n", 0, b""))
        self.assertIn("+a\\r", crlf.details)


if __name__ == "__main__":
    unittest.main()


class MissingCalls(unittest.TestCase):
    """The kernel's 'unimplemented:' lines become one stderr line per program."""

    def test_parse(self):
        line = ("syscall: busybox (pid 5) unimplemented: openat (295) x4, "
                "500 (no Linux system call) x1, other numbers x2")
        self.assertEqual(relay.parse_missing(line),
                         ("busybox", [("openat (295)", 4), ("500 (no Linux system call)", 1),
                                      ("other numbers", 2)]))
        self.assertIsNone(relay.parse_missing("syscall: something else"))

    def test_counts_add_up_per_program(self):
        reports = [("sh", [("uname (122)", 1)]), ("busybox", [("openat (295)", 3)]),
                   ("sh", [("uname (122)", 2), ("openat (295)", 1)])]
        self.assertEqual(relay.missing_summary(reports), [
            "sh called system calls Relay does not implement: uname (122) x3, openat (295) x1",
            "busybox called system calls Relay does not implement: openat (295) x3"])


class KeyCounterSymbol(unittest.TestCase):
    """--keys finds the kernel's decoded-key counter by its symbol."""

    def test_built_kernel_has_the_counter(self):
        kernel = os.path.join(ROOT, relay.KERNEL)
        if not os.path.exists(kernel):
            self.skipTest("build/relay.elf not built")
        address = relay.elf_symbol(kernel, relay.KEY_COUNTER_SYMBOL)
        self.assertIsNotNone(address)
        self.assertGreaterEqual(address, relay.KERNEL_VIRTUAL_BASE)

    def test_unknown_symbol_and_non_elf(self):
        kernel = os.path.join(ROOT, relay.KERNEL)
        if os.path.exists(kernel):
            self.assertIsNone(relay.elf_symbol(kernel, "no_such_symbol_anywhere"))
        self.assertIsNone(relay.elf_symbol(__file__, relay.KEY_COUNTER_SYMBOL))


class BareNames(unittest.TestCase):
    """`tools/relay run hello` and `tools/relay run busybox ...` need no path."""

    def resolve(self, *words):
        opts = relay.parse_args(["run", *words])
        old = os.getcwd()
        os.chdir(tempfile.gettempdir())      # where no such file is
        try:
            relay.resolve_program(opts)
        finally:
            os.chdir(old)
        return opts

    def test_a_program_of_build_user(self):
        if not os.path.isfile(os.path.join(ROOT, "build", "user", "hello")):
            self.skipTest("build/user/hello not built")
        self.assertEqual(self.resolve("hello").program, os.path.join(ROOT, "build", "user", "hello"))

    def test_busybox_with_its_applets(self):
        if not os.path.isfile(os.path.join(ROOT, relay.BUSYBOX)):
            self.skipTest("BusyBox not fetched (tools/setup --busybox)")
        opts = self.resolve("busybox", "sh", "-c", "true")
        self.assertTrue(opts.busybox)
        self.assertEqual(opts.program, os.path.join(ROOT, relay.BUSYBOX))
        self.assertEqual(opts.args, ["sh", "-c", "true"])

    def test_an_applet_name_with_busybox_is_not_a_program_of_build_user(self):
        """`--busybox sh` is BusyBox's sh, though build/user/sh exists too."""
        if not os.path.isfile(os.path.join(ROOT, relay.BUSYBOX)):
            self.skipTest("BusyBox not fetched (tools/setup --busybox)")
        opts = relay.parse_args(["run", "--busybox", "sh"])
        relay.resolve_program(opts)
        self.assertEqual(opts.program, os.path.join(ROOT, relay.BUSYBOX))

    def test_a_path_or_a_file_here_is_left_alone(self):
        self.assertEqual(self.resolve("./hello").program, "./hello")
        self.assertEqual(self.resolve("no-such-program").program, "no-such-program")
