"""tools/trace2svg and tools/trace_format.py: the kernel trace drawn as an SVG
timeline and an HTML page, checked on the sample traces in tests/data/traces/
(shaped like what the kernel emits) and on malformed input."""

import importlib.machinery
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

import support

ROOT = os.path.dirname(support.TESTS_DIR)
TOOLS = os.path.join(ROOT, "tools")
TRACE2SVG = os.path.join(TOOLS, "trace2svg")
TRACE_DEMO = os.path.join(TOOLS, "trace-demo")
TRACES = os.path.join(support.TESTS_DIR, "data", "traces")
SVG_NS = "{http://www.w3.org/2000/svg}"

if TOOLS not in sys.path:
    sys.path.insert(0, TOOLS)
import trace_format as tf      # noqa: E402


def load_tool(name, path):
    """Import a tool without a .py suffix as a module."""
    loader = importlib.machinery.SourceFileLoader(name, path)
    spec = importlib.util.spec_from_loader(name, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


t2s = load_tool("trace2svg", TRACE2SVG)


def sample(name):
    return os.path.join(TRACES, f"{name}.trace")


def render(name):
    """The SVG of a sample trace, parsed: {id: element} and the root."""
    trace = tf.load(sample(name))
    svg = t2s.render_svg([t2s.Panel(tf.build_timeline(trace), name, None)], name)
    root = ET.fromstring(svg)
    return {e.get("id"): e for e in root.iter() if e.get("id")}, root


def by_class(root, cls):
    return [e for e in root.iter() if cls in (e.get("class") or "").split()]


def title_of(element):
    t = element.find(f"{SVG_NS}title")
    return t.text if t is not None else ""


def box(element):
    x, y = float(element.get("x")), float(element.get("y"))
    return x, y, x + float(element.get("width")), y + float(element.get("height"))


class TempDir(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="trace2svg-test-")
        self.addCleanup(shutil.rmtree, self.dir, True)

    def write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w", encoding="ascii") as f:
            f.write(text)
        return path

    def run_tool(self, *args):
        return subprocess.run([sys.executable, TRACE2SVG, *args], capture_output=True,
                              text=True, timeout=60)


# ---------------------------------------------------------------- the parser

class Parsing(unittest.TestCase):
    def parse(self, text):
        return tf.parse_trace(text.strip("\n").splitlines(), "t.trace")

    def test_fields_are_numbers_words_stay_words(self):
        trace = self.parse("# relay-trace v1 tsc_hz=1000 irq=pic hz=100\n"
                           "10 irq_enter vec=0x21 irq=1 ctrl=pic depth=1\n"
                           "20 syscall_exit pid=7 nr=3 ret=-4\n")
        self.assertEqual(trace.problems, [])
        self.assertEqual(trace.tsc_hz, 1000)
        enter, exit_ = trace.events
        self.assertEqual(enter.fields, {"vec": 0x21, "irq": 1, "ctrl": "pic", "depth": 1})
        self.assertEqual(exit_.fields["ret"], -4)
        self.assertEqual(exit_.line, 3)

    def test_unknown_events_are_kept(self):
        trace = self.parse("# relay-trace v1 tsc_hz=1000\n"
                           "5 tlb_flush pid=3 addr=0x1000 why=cow\n")
        self.assertEqual(trace.problems, [])
        self.assertEqual(trace.events[0].fields, {"pid": 3, "addr": 0x1000, "why": "cow"})

    def test_each_kind_of_bad_line_is_a_problem_with_its_line(self):
        trace = self.parse("# relay-trace v1 tsc_hz=1000\n"
                           "x12 eoi vec=0x20\n"             # 2: bad tsc
                           "13\n"                           # 3: no event
                           "14 eoi 0x20\n"                  # 4: not key=value
                           "15 eoi vec=twenty\n"            # 5: not a number
                           "16 switch from=1\n"             # 6: missing to=
                           "17 eoi vec=0x20\n"              # good
                           "9 eoi vec=0x20\n")              # 8: time goes back
        self.assertEqual([p.line for p in trace.problems], [2, 3, 4, 5, 6, 8])
        self.assertTrue(str(trace.problems[3]).startswith("t.trace:5: "))
        self.assertEqual([e.line for e in trace.events], [7])

    def test_missing_header_is_reported(self):
        trace = self.parse("1 eoi vec=0x20\n")
        self.assertEqual([p.line for p in trace.problems], [1])
        self.assertEqual(len(trace.events), 1)


class Pairing(unittest.TestCase):
    def test_sigint_flows(self):
        tl = tf.build_timeline(tf.load(sample("sigint")))
        flows = [(tf.signal_name(f.sig), type(f.cause).__name__, f.target.what
                  if isinstance(f.target, tf.Span) else f.target.label) for f in tl.flows]
        self.assertEqual(flows, [("SIGINT", "IrqRun", "handler"),
                                 ("SIGINT", "IrqRun", "handler"),
                                 ("SIGQUIT", "IrqRun", "SIGQUIT: core"),
                                 ("SIGCHLD", "NoneType", "SIGCHLD: ignore")])
        self.assertTrue(all(f.cause.kind == "keyboard" for f in tl.flows[:3]))

    def test_sigpipe_comes_from_the_write_and_says_so(self):
        """No interrupt raises SIGPIPE: the write that found no reader does."""
        tl = tf.build_timeline(tf.load(sample("sigpipe")))
        flow = tl.flows[0]
        self.assertEqual(tf.signal_name(flow.sig), "SIGPIPE")
        self.assertEqual((type(flow.cause).__name__, flow.cause.what), ("Span", "syscall"))
        self.assertIn("from a write to a broken pipe", flow.generate.label)
        ids, _ = render("sigpipe")
        self.assertIn("from a write to a broken pipe", title_of(ids["flow-1"]))

    def test_exception_causes_its_signal(self):
        tl = tf.build_timeline(tf.load(sample("crash")))
        self.assertEqual(tl.flows[0].cause.what, "exception")
        self.assertEqual(tl.flows[0].target.label, "SIGFPE: core")

    def test_kill_is_caused_by_the_system_call(self):
        tl = tf.build_timeline(tf.load(sample("busy")))
        self.assertEqual(tl.flows[0].cause.label, "kill")
        self.assertIsNone(tl.flows[1].target)       # SIGCHLD to sh, still pending


class RealTimePairing(TempDir):
    def test_each_delivery_answers_the_oldest_generation(self):
        """Real-time signals queue: two sigqueues, two deliveries, one each;
        standard signals merge: two kills, one delivery for both."""
        trace = self.write("rt.trace", "# relay-trace v1 tsc_hz=1000000000 irq=pic hz=100\n"
                           "100 sig_generate sig=34 pid=7 source=sigqueue blocked=1\n"
                           "101 sig_generate sig=34 pid=7 source=sigqueue blocked=1\n"
                           "102 sig_generate sig=10 pid=7 source=kill blocked=1\n"
                           "103 sig_generate sig=10 pid=7 source=kill blocked=1\n"
                           "110 sig_deliver sig=10 pid=7 action=terminate\n"
                           "111 sig_deliver sig=34 pid=7 handler=0x08049000\n"
                           "112 sig_return pid=7 rt=1\n"
                           "113 sig_deliver sig=34 pid=7 handler=0x08049000\n"
                           "114 sig_return pid=7 rt=1\n")
        tl = tf.build_timeline(tf.load(trace))
        targets = [(tf.signal_name(f.sig), f.target.events[0].tsc if f.target else None)
                   for f in tl.flows if isinstance(f.target, tf.Span)]
        self.assertEqual(targets, [("SIGRT34", 111), ("SIGRT34", 113)])
        merged = [f for f in tl.flows if f.sig == 10]
        self.assertEqual(len(merged), 2)
        self.assertIs(merged[0].target, merged[1].target)


# ---------------------------------------------------------------- the picture

class Picture(unittest.TestCase):
    def test_lanes(self):
        ids, root = render("sigint")
        lanes = [e.get("id") for e in by_class(root, "lane")]
        self.assertEqual(lanes, ["lane-irq1", "lane-irq2", "lane-pid1", "lane-pid2",
                                 "lane-pid0"])
        self.assertEqual(len(by_class(root, "irq-lane")), 2)
        self.assertEqual(len(by_class(root, "process-lane")), 3)
        _, root = render("crash")
        self.assertIn("lane-exceptions", [e.get("id") for e in by_class(root, "lane")])

    def test_arrows_go_from_cause_to_consumer(self):
        ids, root = render("sigint")
        arrows = by_class(root, "signal-arrow")
        self.assertEqual(len(arrows), 4)
        sources = [ids[a.get("data-from")] for a in arrows]
        targets = [ids[a.get("data-to")] for a in arrows]
        self.assertEqual([s.get("class").split()[:2] for s in sources[:3]],
                         [["irq-run", "keyboard"]] * 3)
        self.assertIn("key sc=0x2e ascii=0x03 pressed=1", title_of(sources[0]))
        self.assertEqual([t.get("class") for t in targets],
                         ["handler", "handler", "default-action", "default-action"])
        self.assertIn("sig_deliver sig=2 pid=2 handler=0x08049a10", title_of(targets[0]))
        self.assertIn("sig_return pid=2", title_of(targets[0]))

    def test_exception_arrow(self):
        ids, root = render("crash")
        arrow = by_class(root, "signal-arrow")[0]
        self.assertEqual(ids[arrow.get("data-from")].get("class"), "exception")
        self.assertIn("action=core", title_of(ids[arrow.get("data-to")]))

    def test_alarm_arrow_from_the_timer_and_quiet_ticks_folded(self):
        ids, root = render("alarm")
        arrows = by_class(root, "signal-arrow")
        timer = ids[arrows[0].get("data-from")]
        self.assertEqual(timer.get("class").split()[:2], ["irq-run", "timer"])
        self.assertIn("sig_generate sig=14", title_of(timer))
        self.assertEqual(ids[arrows[0].get("data-to")].get("class"), "handler")
        self.assertEqual(len(by_class(root, "fold")), 1)
        self.assertLess(len(by_class(root, "irq-run")), 10)     # of 200

    def test_nested_irq_box_lies_inside_its_parent(self):
        ids, root = render("nested")
        inner = by_class(root, "depth-2")
        self.assertEqual(len(inner), 1)
        outer = ids[inner[0].get("data-parent")]
        self.assertIn("keyboard", outer.get("class"))
        self.assertIn("vec=0xe0", title_of(inner[0]))
        ix0, iy0, ix1, iy1 = box(inner[0])
        ox0, oy0, ox1, oy1 = box(outer)
        self.assertTrue(ox0 < ix0 and ix1 < ox1, "nested box not inside in time")
        self.assertTrue(oy0 < iy0 and iy1 <= oy1, "nested box not inside in depth")
        lane2 = ids["lane-irq2"].find(f"{SVG_NS}rect")
        self.assertGreaterEqual(iy0, float(lane2.get("y")))

    def test_lost_unknown_and_pending_are_drawn(self):
        ids, root = render("busy")
        self.assertEqual(len(by_class(root, "lost")), 1)
        other = by_class(root, "other-event")
        self.assertEqual(len(other), 1)
        self.assertIn("page_fault_fix", title_of(other[0]))
        self.assertEqual(len(by_class(root, "pending")), 1)

    def test_legend(self):
        ids, root = render("crash")
        items = by_class(ids["legend"], "legend-item")
        self.assertGreaterEqual(len(items), 10)
        text = " ".join(t.text or "" for t in ids["legend"].iter(f"{SVG_NS}text"))
        for word in ("timer", "keyboard", "nest", "signal", "cut", "lost", "system call"):
            self.assertIn(word, text)


# ---------------------------------------------------------------- the command

class Command(TempDir):
    def test_default_output_and_html_page(self):
        trace = os.path.join(self.dir, "sigint.trace")
        shutil.copy(sample("sigint"), trace)
        page = os.path.join(self.dir, "page.html")
        result = self.run_tool("--title", "SIGINT <demo>", "--html", page, trace)
        self.assertEqual((result.returncode, result.stderr), (0, ""))
        svg = ET.parse(os.path.join(self.dir, "sigint.svg")).getroot()
        self.assertEqual(svg.tag, f"{SVG_NS}svg")
        with open(page, encoding="utf-8") as f:
            html = ET.fromstring(f.read().split("\n", 1)[1])    # skip <!DOCTYPE html>
        self.assertIsNotNone(html.find(f".//div/{SVG_NS}svg"))
        rows = html.findall(".//table[@id='events-1']/tbody/tr")
        events = tf.load(trace).events
        self.assertEqual(len(rows), len(events))
        for row, event in zip(rows, events):
            cells = [td.text for td in row.findall("td")]
            self.assertEqual(cells[:2], [str(event.line), str(event.tsc)])
            self.assertEqual(f"{event.tsc} {cells[3]} {cells[4]}".strip(), event.text)
        self.assertEqual(html.find("head/title").text, "SIGINT <demo>")

    def test_malformed_lines_are_reported_and_skipped(self):
        trace = self.write("bad.trace", "# relay-trace v1 tsc_hz=1000000000 irq=pic hz=100\n"
                           "100 irq_enter vec=0x21 irq=1 ctrl=pic depth=1\n"
                           "1O1 key sc=0x2e ascii=0x03 pressed=1\n"
                           "102 sig_generate sig=two pid=7 source=tty blocked=0\n"
                           "103 eoi\n"
                           "104 irq_exit vec=0x21 depth=0\n"
                           "105\n"
                           "106 switch from=3 7\n")
        out = os.path.join(self.dir, "bad.svg")
        result = self.run_tool(trace, out)
        self.assertEqual(result.returncode, 1)
        self.assertNotIn("Traceback", result.stderr)
        lines = result.stderr.splitlines()
        self.assertEqual([line.split(": ")[0] for line in lines],
                         [f"{trace}:{n}" for n in (3, 4, 5, 7, 8)])
        root = ET.parse(out).getroot()
        self.assertEqual(len(by_class(root, "irq-run")), 1)

    def test_usage_errors(self):
        for args in ([], [os.path.join(self.dir, "missing.trace")],
                     ["--width", "12", sample("crash")], ["--bogus", sample("crash")]):
            with self.subTest(args=args):
                result = self.run_tool(*args)
                self.assertEqual(result.returncode, 2)
                self.assertNotIn("Traceback", result.stderr)
                self.assertIn("usage:", result.stderr)

    def test_empty_trace(self):
        trace = self.write("empty.trace", "# relay-trace v1 tsc_hz=1000000000\n")
        result = self.run_tool(trace)
        self.assertEqual((result.returncode, result.stderr), (0, ""))
        ET.parse(os.path.join(self.dir, "empty.svg"))

    def test_width_is_followed(self):
        for width in (1200, 3000):
            out = os.path.join(self.dir, f"w{width}.svg")
            self.assertEqual(self.run_tool("--width", str(width), sample("sigint"),
                                           out).returncode, 0)
            root = ET.parse(out).getroot()
            self.assertAlmostEqual(float(root.get("width")), width, delta=150)
            right = max(box(r)[2] for r in by_class(root, "run"))
            self.assertGreater(right, 0.85 * width, "the timeline does not use the width")


class Demo(TempDir):
    def test_no_run_draws_three_pictures_on_one_page(self):
        for name, src in (("sigdemo", "sigint"), ("alarmclock", "alarm"), ("crash", "crash")):
            shutil.copy(sample(src), os.path.join(self.dir, f"trace-{name}.trace"))
        result = subprocess.run([sys.executable, TRACE_DEMO, "--no-run", "--out", self.dir],
                                capture_output=True, text=True, timeout=60)
        self.assertEqual((result.returncode, result.stderr), (0, ""))
        root = ET.parse(os.path.join(self.dir, "trace.svg")).getroot()
        self.assertEqual(len(by_class(root, "panel")), 3)
        ids = [e.get("id") for e in root.iter() if e.get("id")]
        self.assertEqual(len(ids), len(set(ids)), "ids must be unique across panels")
        with open(os.path.join(self.dir, "trace.html"), encoding="utf-8") as f:
            page = f.read()
        self.assertEqual(page.count('<table class="events"'), 3)


@unittest.skipUnless(os.path.exists("/usr/bin/chromium"), "no /usr/bin/chromium")
class Screenshot(TempDir):
    def test_page_renders_headless(self):
        page = os.path.join(self.dir, "page.html")
        self.assertEqual(self.run_tool("--html", page, sample("sigint"),
                                       os.path.join(self.dir, "s.svg")).returncode, 0)
        png = os.path.join(self.dir, "page.png")
        subprocess.run(["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu",
                        f"--screenshot={png}", "--window-size=1600,900", f"file://{page}"],
                       capture_output=True, timeout=120)
        self.assertGreater(os.path.getsize(png), 10000)


if __name__ == "__main__":
    unittest.main()
