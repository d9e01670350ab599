"""tools/syscall-table: docs/syscalls.md and kernel/syscall_names.c are what the
table and Linux's header make, and the parsers read what the kernel writes."""

import contextlib
import io
import os
import unittest

import support

ROOT = os.path.dirname(support.TESTS_DIR)
TOOL = os.path.join(ROOT, "tools", "syscall-table")


table = support.load_tool("syscall_table", TOOL)


class Committed(unittest.TestCase):
    def test_doc_and_names_match_the_table(self):
        self.assertEqual(table.check(), [])

    @unittest.skipIf(table.default_unistd() is None, "no asm/unistd_32.h (tools/setup)")
    def test_names_come_from_linux(self):
        names = table.load_names()
        self.assertEqual(names[295], "openat")
        self.assertIn('[295] = "openat",', table.names_source(names))


class Parsing(unittest.TestCase):
    HEADER = '''
#define SYSCALL_LIST(X)  \\
    X(1, exit, "")        \\
    X(11, execve,         \\
      "no " "scripts")    \\
    X(20, getpid, "a, b (c)")

#define OTHER 1
'''

    def test_list_with_split_and_escaped_strings(self):
        self.assertEqual(table.relay_calls(self.HEADER),
                         [(1, "exit", ""), (11, "execve", "no scripts"),
                          (20, "getpid", "a, b (c)")])

    def test_a_wrong_name_is_refused(self):
        with self.assertRaisesRegex(table.InputError, "Linux i386 calls 1 exit"):
            table.doc_text([(1, "quit", "")], {1: "exit"})

    def test_the_doc_counts_and_lists(self):
        text = table.doc_text([(1, "exit", ""), (20, "getpid", "pid 1 only")],
                              {1: "exit", 20: "getpid", 3: "read"})
        self.assertIn("implements **2** of the 3 Linux i386 system calls", text)
        self.assertIn("1 of them with no known difference", text)
        self.assertIn("| 20 | getpid | pid 1 only |", text)

    def test_not_a_unistd_header(self):
        with self.assertRaises(table.InputError):
            table.linux_names("int main(void);\n")

    def test_usage(self):
        with contextlib.redirect_stderr(io.StringIO()) as err:
            self.assertEqual(table.main(["frob"]), table.EXIT_USAGE)
        self.assertIn("tools/syscall-table check", err.getvalue())
