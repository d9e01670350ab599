"""Writing cpio "newc" archives, the initramfs format Relay's kernel unpacks at
boot (kernel/fs/cpio.c; Linux's Documentation/driver-api/early-userspace/
buffer-format.rst). Pure python3 standard library; used by tools/relay and
tools/mkinitramfs.

    archive = Archive()
    archive.add_tree("build/rootfs")               # a directory tree at /
    archive.add_file("bin/hello", path="build/user/hello")
    archive.add_file("etc/motd", data=b"hi\\n", mode=0o644)
    archive.add_symlink("bin/sh", "busybox")
    archive.add_busybox("build/busybox/bin/busybox")   # and a link per applet
    archive.write("build/initramfs.cpio")

Members are written in the order added, each directory before what is in it
(parents are added on demand), with owner root and the time of the newest
source file, so the same inputs give the same bytes.
"""

import os
import stat
import subprocess

MAGIC = b"070701"
TRAILER = "TRAILER!!!"
ALIGN = 4
DIR_MODE = stat.S_IFDIR | 0o755
FILE_MODE = stat.S_IFREG | 0o755
LINK_MODE = stat.S_IFLNK | 0o777


class ArchiveError(Exception):
    """An input the archive cannot hold: a bad name or an unreadable file."""


def _pad(length):
    return b"\0" * (-length % ALIGN)


def _clean(name):
    """A member name: relative, no empty or '.' parts, no '..'."""
    parts = [p for p in name.strip("/").split("/") if p not in ("", ".")]
    if not parts:
        raise ArchiveError(f"{name!r} names the root itself")
    if ".." in parts:
        raise ArchiveError(f"{name!r} climbs out of the archive with '..'")
    return "/".join(parts)


class Archive:
    """Members to write: name -> (mode, data, rdev)."""

    def __init__(self):
        self.members = {}
        self.mtime = 0

    def _parents(self, name):
        parts = name.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            self.members.setdefault("/".join(parts[:i]), (DIR_MODE, b"", (0, 0)))

    def _add(self, name, mode, data=b"", rdev=(0, 0)):
        name = _clean(name)
        self._parents(name)
        self.members.pop(name, None)        # a later member replaces an earlier one
        self.members[name] = (mode, data, rdev)

    def add_dir(self, name, mode=0o755):
        self._add(name, stat.S_IFDIR | (mode & 0o7777))

    def add_file(self, name, path=None, data=None, mode=None):
        """A regular file from path (its mode kept) or from data."""
        if (path is None) == (data is None):
            raise ArchiveError("add_file needs path or data")
        if path is not None:
            try:
                with open(path, "rb") as f:
                    data = f.read()
                st = os.stat(path)
            except OSError as err:
                raise ArchiveError(f"{path}: {err.strerror}") from None
            self.mtime = max(self.mtime, int(st.st_mtime))
            mode = stat.S_IMODE(st.st_mode) if mode is None else mode
        self._add(name, stat.S_IFREG | ((0o644 if mode is None else mode) & 0o7777), data)

    def add_symlink(self, name, target):
        if not target:
            raise ArchiveError(f"{name}: a symbolic link needs a target")
        self._add(name, LINK_MODE, target.encode())

    def add_char_device(self, name, major, minor, mode=0o666):
        self._add(name, stat.S_IFCHR | (mode & 0o7777), b"", (major, minor))

    def add_tree(self, root, prefix=""):
        """Everything under the directory root, at prefix, in sorted order."""
        if not os.path.isdir(root):
            raise ArchiveError(f"{root}: not a directory")
        for folder, dirs, files in os.walk(root):
            dirs.sort()
            rel = os.path.relpath(folder, root)
            base = prefix if rel == "." else os.path.join(prefix, rel)
            if base:
                self.add_dir(base, stat.S_IMODE(os.stat(folder).st_mode))
            for name in sorted(files + [d for d in dirs if os.path.islink(os.path.join(folder, d))]):
                self._add_path(os.path.join(folder, name), os.path.join(base, name))

    def _add_path(self, path, name):
        if os.path.islink(path):
            self.add_symlink(name, os.readlink(path))
        elif os.path.isfile(path):
            self.add_file(name, path=path)

    def add_busybox(self, path):
        """BusyBox as /bin/busybox and a link to it for each of its applets,
        where `busybox --list-full` puts them (bin/ls, usr/bin/awk...)."""
        applets = busybox_applets(path)
        self.add_file("bin/busybox", path=path)
        for applet in applets.values():
            if applet != "bin/busybox":
                self.add_symlink(applet, "/bin/busybox")
    def add_programs(self, folder):
        """Each file of folder as /bin/NAME, or /bin/relay-NAME where /bin
        has NAME already (BusyBox's sh and echo): the system's own tools
        keep their names, and Relay's stay at hand."""
        for name in sorted(os.listdir(folder)):
            path = os.path.join(folder, name)
            if os.path.isfile(path):
                dest = f"relay-{name}" if f"bin/{name}" in self.members else name
                self.add_file(f"bin/{dest}", path=path)

    def to_bytes(self):
        out, ino = [], 1
        for name, (mode, data, rdev) in self.members.items():
            out.append(_member(name, mode, data, rdev, ino, self.mtime))
            ino += 1
        out.append(_member(TRAILER, 0, b"", (0, 0), 0, 0))
        return b"".join(out)

    def write(self, path):
        data = self.to_bytes()
        with open(path, "wb") as f:
            f.write(data)
        return len(data)


def busybox_applets(path):
    """{applet name: its place in the tree} from `busybox --list-full`, e.g.
    {"ls": "bin/ls", "awk": "usr/bin/awk"}. The host runs BusyBox to ask:
    static i386 runs on x86 Linux hosts."""
    try:
        listing = subprocess.run([path, "--list-full"], capture_output=True, text=True,
                                 timeout=30, check=True).stdout.split()
    except (OSError, subprocess.SubprocessError) as err:
        raise ArchiveError(f"{path} --list-full failed ({err}): cannot list BusyBox's "
                           "applets (does this host run i386 programs?)") from None
    return {os.path.basename(applet): applet for applet in listing}


def _member(name, mode, data, rdev, ino, mtime):
    encoded = name.encode() + b"\0"
    nlink = 2 if stat.S_ISDIR(mode) else 1
    fields = (ino, mode, 0, 0, nlink, mtime, len(data), 0, 0, rdev[0], rdev[1], len(encoded), 0)
    header = MAGIC + b"".join(b"%08x" % f for f in fields)
    head = header + encoded
    return head + _pad(len(head)) + data + _pad(len(data))
