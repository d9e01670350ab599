"""Record and replay for tools/relay (docs/rewind.md).

`tools/relay run --record=DIR` runs QEMU in DIR with its record/replay
mode: every nondeterministic input (interrupts' timing, keystrokes, the
clock) goes into an event log, and a snapshot of the machine at the start
goes into a qcow2 image, which reverse execution in gdb restores. DIR also
keeps the exact kernel, initramfs, init and program it booted, and a
manifest (manifest.json) with QEMU's machine arguments, checksums of every
file, Relay's and QEMU's versions and the exit status.

`tools/relay replay DIR` checks the manifest, then runs the same machine
with rr=replay: QEMU takes every input from the log, so the guest executes
the same instructions and writes the same bytes.

Facts used (QEMU 7.2, docs/devel/replay.rst of QEMU, ../shared/QEMU-FACTS.md):
record/replay needs -icount, and with sleep=off as well the guest never
starts (measured: no serial output in 5 s), so a recording sleeps when the
guest idles, as QEMU's default does; rrsnapshot= needs a drive whose format can
hold snapshots (qcow2, made by qemu-img); a log replays only on the QEMU
version that wrote it.
"""

import hashlib
import json
import os
import shutil
import subprocess

KERNEL = "relay.elf"
INIT = "init"
INITRD = "initramfs.cpio"
EVENT_LOG = "replay.bin"
SNAPSHOT_IMAGE = "snapshot.qcow2"
SNAPSHOT_NAME = "start"
MANIFEST = "manifest.json"
PROGRAM_DIR = "program"                 # the program's own copy, for gdb's symbols
FORMAT = 1                              # bump when the manifest's meaning changes
# The snapshot image holds only the machine's state (RAM is 128M); qcow2
# grows as needed, so a generous virtual size costs nothing.
SNAPSHOT_SIZE = "1G"
SNAPSHOT_DRIVE_ID = "rr-snapshots"
RTC_PINNED = "base=2020-01-01T00:00:00,clock=vm"
QEMU_IMG = "qemu-img"                   # Debian's qemu-utils (tools/setup)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHUNK = 1 << 20


def start_record(directory, problem):
    """Make DIR (new or empty) and its snapshot image; returns DIR."""
    if os.path.exists(directory) and (not os.path.isdir(directory) or os.listdir(directory)):
        raise problem(f"--record={directory}: exists and is not an empty directory; "
                      "a recording needs a directory of its own")
    os.makedirs(directory, exist_ok=True)
    try:
        subprocess.run([QEMU_IMG, "create", "-q", "-f", "qcow2",
                        os.path.join(directory, SNAPSHOT_IMAGE), SNAPSHOT_SIZE],
                       check=True, stdin=subprocess.DEVNULL)
    except FileNotFoundError:
        raise problem(f"--record needs {QEMU_IMG} (Debian package qemu-utils): "
                      "run tools/setup") from None
    except subprocess.CalledProcessError as error:
        raise problem(f"{QEMU_IMG} failed with status {error.returncode}") from None
    return directory


def check_record_options(opts, problem):
    """Options that cannot be recorded, refused before anything runs."""
    if opts.trace:
        raise problem("--record and --trace cannot be combined: the trace's serial port "
                      "writes a file the replay would need too")
    if opts.gdb:
        raise problem("--record and --gdb cannot be combined: record first, then "
                      "debug the replay with `tools/relay replay --gdb DIR`")


def stage(directory, kernel, init, program, problem):
    """Copy the kernel, init and program into DIR."""
    try:
        shutil.copyfile(kernel, os.path.join(directory, KERNEL))
        shutil.copyfile(init, os.path.join(directory, INIT))
        os.makedirs(os.path.join(directory, PROGRAM_DIR), exist_ok=True)
        shutil.copyfile(program, os.path.join(directory, PROGRAM_DIR, os.path.basename(program)))
    except OSError as error:
        raise problem(f"--record: cannot copy into {directory}: {error}") from None


def rr_args(mode):
    """QEMU's record/replay arguments; mode is 'record' or 'replay'."""
    # Without -net none the default NIC stays: a replay that loads a snapshot
    # then never leaves instruction 0 (measured, QEMU 7.2), and reverse
    # execution, which loads snapshots, hangs.
    return ["-net", "none",
            "-icount", f"shift=0,rr={mode},rrfile={EVENT_LOG},"
                       f"rrsnapshot={SNAPSHOT_NAME}",
            "-rtc", RTC_PINNED,
            "-drive", f"file={SNAPSHOT_IMAGE},if=none,id={SNAPSHOT_DRIVE_ID},format=qcow2"]


def record_args(machine):
    """The machine's arguments with recording on."""
    return machine + rr_args("record")


def qemu_version(qemu):
    """QEMU's first --version line, e.g. 'QEMU emulator version 7.2.19 (...)'."""
    try:
        out = subprocess.run([qemu, "--version"], capture_output=True, text=True,
                             stdin=subprocess.DEVNULL).stdout
    except OSError:
        return "unknown"
    return out.splitlines()[0].strip() if out else "unknown"


def relay_version():
    """The repository's commit (with -dirty for uncommitted changes)."""
    try:
        out = subprocess.run(["git", "-C", ROOT, "describe", "--always", "--dirty"],
                             capture_output=True, text=True, stdin=subprocess.DEVNULL)
    except OSError:
        return "unknown"
    return out.stdout.strip() or "unknown"


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def checked_files(directory):
    """The files a replay depends on, relative to DIR. The snapshot image is
    left out: QEMU writes to it when it restores a snapshot."""
    names = [KERNEL, INIT, INITRD, EVENT_LOG]
    names += [os.path.join(PROGRAM_DIR, n)
              for n in sorted(os.listdir(os.path.join(directory, PROGRAM_DIR)))]
    return names


def finish_record(directory, machine, qemu, status, problem):
    """Write DIR's manifest once the recorded run has ended."""
    if not os.path.isfile(os.path.join(directory, EVENT_LOG)):
        raise problem(f"--record: QEMU wrote no event log in {directory}")
    manifest = {
        "format": FORMAT,
        "relay_version": relay_version(),
        "qemu_version": qemu_version(qemu),
        "machine": machine,
        "status": status,
        "files": {name: sha256(os.path.join(directory, name))
                  for name in checked_files(directory)},
    }
    with open(os.path.join(directory, MANIFEST), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")


def load_manifest(directory, problem):
    """DIR's manifest, or a clear refusal."""
    path = os.path.join(directory, MANIFEST)
    try:
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
    except FileNotFoundError:
        raise problem(f"{directory}: not a recording (no {MANIFEST}; make one with "
                      "`tools/relay run --record=DIR PROGRAM`)") from None
    except (OSError, ValueError) as error:
        raise problem(f"{path}: unreadable or damaged ({error})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise problem(f"{path}: made by another version of tools/relay "
                      f"(format {manifest.get('format') if isinstance(manifest, dict) else '?'},"
                      f" this one reads {FORMAT}); record again")
    return manifest


def check_files(directory, manifest, problem):
    """Refuse a DIR whose files are not those recorded."""
    files = manifest.get("files")
    if not isinstance(files, dict) or not files:
        raise problem(f"{directory}/{MANIFEST}: damaged (no file checksums)")
    for name, digest in files.items():
        path = os.path.join(directory, name)
        if not os.path.isfile(path):
            raise problem(f"{path}: missing; the recording is damaged")
        if sha256(path) != digest:
            raise problem(f"{path}: changed since it was recorded (rebuilt or damaged); "
                          "a replay must boot exactly what was recorded: record again")


def replay_machine(directory, qemu, problem):
    """The machine arguments that replay DIR, after every check passed."""
    manifest = load_manifest(directory, problem)
    check_files(directory, manifest, problem)
    here = qemu_version(qemu)
    if manifest.get("qemu_version") != here:
        raise problem(f"{directory} was recorded by {manifest.get('qemu_version')!r}; "
                      f"this is {here!r}, and QEMU replays only its own version's logs")
    machine = manifest.get("machine")
    if not isinstance(machine, list) or not all(isinstance(a, str) for a in machine):
        raise problem(f"{directory}/{MANIFEST}: damaged (no machine arguments)")
    return [a.replace("rr=record", "rr=replay") for a in machine]


def program_copy(directory):
    """The recorded program's copy in DIR (for gdb's symbols)."""
    folder = os.path.join(directory, PROGRAM_DIR)
    names = sorted(os.listdir(folder)) if os.path.isdir(folder) else []
    return os.path.join(folder, names[0]) if names else os.path.join(directory, INIT)
