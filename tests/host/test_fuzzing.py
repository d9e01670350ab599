"""tests/harness/fuzzing.py: the errno comparison and its allow list."""

import unittest

import support  # noqa: F401  (puts tests/ on sys.path)
from harness import fuzzing


def lines(*calls):
    return "fuzz: errno seed 1, 2 calls\n" + "".join(
        f"fuzz: {i} {c}\n" for i, c in enumerate(calls)) + "fuzz: errno done\n"


class ErrnoDifferences(unittest.TestCase):
    def test_same_output_has_no_difference(self):
        text = lines("read(3, buf, 1) = EBADF", "getpid() = ok")
        self.assertEqual(fuzzing.errno_differences(text, text), ([], []))

    def test_an_unknown_difference_is_a_finding(self):
        unexplained, explained = fuzzing.errno_differences(
            lines("mprotect(unmapped, 4096, 4096) = EINVAL"),
            lines("mprotect(unmapped, 4096, 4096) = ENOMEM"))
        self.assertEqual(len(unexplained), 1)
        self.assertIn("Linux EINVAL, Relay ENOMEM", unexplained[0])
        self.assertEqual(explained, [])

    def test_known_differences_carry_their_reason(self):
        call = 'execve("no-such-program", unmapped, NULL)'
        unexplained, explained = fuzzing.errno_differences(
            lines(f"{call} = ENOENT"), lines(f"{call} = EFAULT"))
        self.assertEqual(unexplained, [])
        self.assertIn("copies argv and envp", explained[0])

    def test_differences_issue_12_removed_are_findings_again(self):
        unexplained, _ = fuzzing.errno_differences(
            lines("signal(50, 1) = ok", "waitpid(bogus, buf, 0x40000000) = ECHILD"),
            lines("signal(50, 1) = EINVAL", "waitpid(bogus, buf, 0x40000000) = EINVAL"))
        self.assertEqual(len(unexplained), 2)

    def test_missing_lines_are_a_finding(self):
        unexplained, _ = fuzzing.errno_differences(lines("getpid() = ok"), "")
        self.assertTrue(unexplained)


class FrameLine(unittest.TestCase):
    def test_frames_leaked_line(self):
        self.assertEqual(fuzzing.leaked_frames("fuzz: frames leaked: 3\n"), 3)
        self.assertIsNone(fuzzing.leaked_frames("fuzz: 1 batches\n"))
        self.assertEqual(fuzzing.frame_problems("fuzz: frames leaked: 0\n"), [])


if __name__ == "__main__":
    unittest.main()
