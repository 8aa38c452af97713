"""Writing output files (`export -o`, `graph -o`, `plot --out`) never loses what is at the name."""

import os
import stat
import threading

import pytest

from engine.cli import main
from events import OutputFileError, write_file

EXPORT = ["export", "--format", "json", "-o"]


def write_text(name, text):
    return write_file(name, text.encode("utf-8"), label="--out")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def leftovers(folder):
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".tmp"))


WRITERS = {
    "export": lambda name: ["export", "--format", "json", "-o", name],
    "graph": lambda name: ["graph", "--at", "2009", "--format", "json", "-o", name],
    "plot": lambda name: ["plot", "graph", "--at", "2009", "--out", name],
}


def picture_name(writer, stem):
    return f"{stem}.svg" if writer == "plot" else f"{stem}.out"


@pytest.mark.parametrize("writer", WRITERS)
class TestEveryWriter:
    def test_an_empty_name_is_refused(self, capsys, tmp_path, monkeypatch, writer):
        """`-o ''` is one line and exit 2, and writes nothing (not `../<folder>.tmp`)."""
        work = tmp_path / "work"
        work.mkdir()
        monkeypatch.chdir(work)
        code, _, err = run(capsys, *WRITERS[writer](""))
        assert code == 2 and err.count("\n") == 1 and "''" in err
        assert [path.name for path in tmp_path.iterdir()] == ["work"] and not list(work.iterdir())

    def test_a_symlink_is_followed_and_stays_a_link(self, capsys, tmp_path, writer):
        """The file a link points to is written; the link is still a link to it."""
        target = tmp_path / picture_name(writer, "real")
        target.write_text("old\n")
        link = tmp_path / picture_name(writer, "link")
        link.symlink_to(target)
        assert run(capsys, *WRITERS[writer](str(link)))[0] == 0
        assert link.is_symlink() and os.readlink(link) == str(target)
        assert target.read_text() != "old\n"
        assert leftovers(tmp_path) == []

    def test_the_targets_permissions_are_kept(self, capsys, tmp_path, writer):
        """A 0600 file stays 0600 (not the umask's 0644) after being written over."""
        target = tmp_path / picture_name(writer, "secret")
        target.write_text("old\n")
        os.chmod(target, 0o600)
        assert run(capsys, *WRITERS[writer](str(target)))[0] == 0
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        assert target.read_text() != "old\n"

    def test_a_failed_write_leaves_the_old_file_and_no_temporary(self, capsys, tmp_path, writer):
        """In a read-only folder the write fails in one line, and the old file is as it was."""
        if os.geteuid() == 0:
            pytest.skip("root writes into read-only folders; the failure cannot be caused this way")
        target = tmp_path / picture_name(writer, "kept")
        target.write_text("old\n")
        os.chmod(tmp_path, 0o500)
        try:
            code, _, err = run(capsys, *WRITERS[writer](str(target)))
        finally:
            os.chmod(tmp_path, 0o700)
        assert code == 2 and err.count("\n") == 1 and "cannot write" in err
        assert target.read_text() == "old\n" and leftovers(tmp_path) == []

    def test_a_full_disk_leaves_the_old_file_and_no_temporary(self, capsys, tmp_path, monkeypatch, writer):
        """A write that fails part-way (the disk full when the data is flushed) is one line; nothing is lost."""
        import errno

        target = tmp_path / picture_name(writer, "kept")
        target.write_text("old\n")

        def full(descriptor):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(os, "fsync", full)
        code, _, err = run(capsys, *WRITERS[writer](str(target)))
        assert code == 2 and err.count("\n") == 1 and "No space left" in err
        assert target.read_text() == "old\n" and leftovers(tmp_path) == []

    def test_a_directory_is_refused(self, capsys, tmp_path, writer):
        folder = tmp_path / picture_name(writer, "folder")
        folder.mkdir()
        code, _, err = run(capsys, *WRITERS[writer](str(folder)))
        assert code == 2 and err.count("\n") == 1 and "directory" in err
        assert folder.is_dir() and leftovers(tmp_path) == []

    def test_a_fifo_is_written_through(self, capsys, tmp_path, writer):
        """A FIFO is written to (as the shell's `>` would), not replaced by a regular file."""
        fifo = tmp_path / picture_name(writer, "pipe")
        os.mkfifo(fifo)
        received = []
        reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
        reader.start()
        try:
            code, _, err = run(capsys, *WRITERS[writer](str(fifo)))
        finally:
            if reader.is_alive():  # unblock the reader if the writer never opened the FIFO
                with open(fifo, "wb"):
                    pass
            reader.join()
        assert code == 0, err
        assert stat.S_ISFIFO(fifo.lstat().st_mode)
        assert received[0]
        assert leftovers(tmp_path) == []


class TestTheWriter:
    def test_a_new_file_follows_the_umask(self, tmp_path):
        old = os.umask(0o027)
        try:
            write_text(str(tmp_path / "new.txt"), "x\n")
        finally:
            os.umask(old)
        assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640

    def test_a_character_device_is_written_through(self):
        """`-o /dev/null` writes to the device and leaves it a device."""
        write_text(os.devnull, "discarded\n")
        assert stat.S_ISCHR(os.stat(os.devnull).st_mode)

    def test_a_dangling_link_creates_its_target(self, tmp_path):
        link = tmp_path / "link.txt"
        link.symlink_to(tmp_path / "made.txt")
        write_text(str(link), "made\n")
        assert link.is_symlink() and (tmp_path / "made.txt").read_text() == "made\n"

    def test_a_link_loop_is_one_line(self, tmp_path):
        loop = tmp_path / "loop"
        loop.symlink_to(loop)
        with pytest.raises(OutputFileError, match="cannot write"):
            write_text(str(loop), "x\n")
        assert loop.is_symlink() and leftovers(tmp_path) == []

    def test_an_interrupted_write_removes_its_temporary_file(self, tmp_path, monkeypatch):
        """Whatever stops the write after the temporary file exists (here: the rename), it is removed."""
        target = tmp_path / "kept.txt"
        target.write_text("old\n")

        def refuse(*args):
            raise KeyboardInterrupt

        monkeypatch.setattr(os, "replace", refuse)
        with pytest.raises(KeyboardInterrupt):
            write_text(str(target), "new\n")
        assert target.read_text() == "old\n" and leftovers(tmp_path) == []


class TestEveryWriterIsTheOneWriter:
    """Scenario and counterfactual files written from Python keep what is at the name as the CLI's writers do."""

    def test_a_scenario_file_keeps_its_permissions_and_leaves_no_temporary_file(self, tmp_path):
        import scenarios
        from events import write_scenario

        target = tmp_path / "history.toml"
        target.write_text("old\n")
        os.chmod(target, 0o600)
        write_scenario(scenarios.load("bolivia_usa"), target)
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        assert leftovers(tmp_path) == [] and "bolivia_usa" in target.read_text(encoding="utf-8")

    def test_a_counterfactual_file_through_a_link_writes_the_target(self, tmp_path):
        import scenarios
        from events import write_counterfactual

        spec, _ = scenarios.load_counterfactual("bolivia_usa/no_goldberg_expulsion")
        link = tmp_path / "link.toml"
        link.symlink_to(tmp_path / "real.toml")
        write_counterfactual(spec, link)
        assert link.is_symlink() and "goldberg-expelled" in (tmp_path / "real.toml").read_text(encoding="utf-8")
