package dev.qtune.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.qtune.compiler.QtuneException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17: the native build cache is private, verified before it runs, and safe to share between processes. */
@Tag("reliability")
class NativeCacheSafetyTest {
    static final Target GENERIC = Targets.byName("generic-c");
    static final Map<String, String> SOURCES =
            Map.of("main.c", "#include <stdio.h>\nint main(void){puts(\"model\");return 0;}\n");

    @TempDir
    Path tmp;

    @BeforeAll
    static void needsACompiler() {
        assumeTrue(Toolchain.find(GENERIC).isPresent(), "no C compiler for generic-c: gcc not on PATH");
    }

    @Test
    void aNewCacheFolderIsCreatedForItsOwnerOnly() throws Exception {
        Path cache = tmp.resolve("fresh").resolve("cache");
        NativeBuild.build(GENERIC, SOURCES, List.of(), cache);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)));
        assertEquals(
                "rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache.resolve("native"))));
    }

    @Test
    void aWorldWritableCacheIsRefusedInOneLine() throws Exception {
        Path cache = Files.createDirectory(tmp.resolve("shared"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
        QtuneException e =
                assertThrows(QtuneException.class, () -> NativeBuild.build(GENERIC, SOURCES, List.of(), cache));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().contains(cache.toString()) && e.getMessage().contains("0777"), e.getMessage());
        assertFalse(Files.exists(cache.resolve("native")), "nothing is written into a shared cache");
    }

    @Test
    void aCacheOwnedByAnotherUserIsRefused() throws Exception {
        assumeTrue(CacheDir.currentUid() == 0, "only root can give a folder to another user");
        Path cache = Files.createDirectory(tmp.resolve("theirs"));
        Files.setAttribute(cache, "unix:uid", 65534);
        QtuneException e =
                assertThrows(QtuneException.class, () -> NativeBuild.build(GENERIC, SOURCES, List.of(), cache));
        assertTrue(e.getMessage().contains("owned by uid 65534"), e.getMessage());
    }

    @Test
    void aReplacedModuleIsNeverRunButRebuilt() throws Exception {
        Path cache = tmp.resolve("cache");
        CompiledModule first = NativeBuild.build(GENERIC, SOURCES, List.of(), cache);
        Path marker = tmp.resolve("pwned");
        Files.writeString(first.executable(), "#!/bin/sh\ntouch " + marker + "\n");
        CompiledModule second = NativeBuild.build(GENERIC, SOURCES, List.of(), cache);
        assertFalse(second.cacheHit(), "an entry whose hash does not match is not a hit");
        ProcessResult r =
                NativeProcess.run(List.of(second.executable().toString()), Duration.ofSeconds(10), null, Map.of());
        assertEquals("model\n", r.stdout(), r.reason());
        assertFalse(Files.exists(marker));
        assertTrue(NativeBuild.build(GENERIC, SOURCES, List.of(), cache).cacheHit());
    }

    @Test
    void publishingOntoAnIdenticalEntryOfAnotherProcessIsSuccess() throws Exception {
        Path cache = tmp.resolve("cache");
        CompiledModule first = NativeBuild.build(GENERIC, SOURCES, List.of(), cache);
        Path root = first.directory().getParent();
        Path theirs = Files.createTempDirectory(root, CacheEntry.buildPrefix());
        for (String f : List.of("module", "main.c", CacheEntry.HASH_FILE)) {
            Files.copy(first.directory().resolve(f), theirs.resolve(f));
        }
        assertEquals(first.directory(), CacheEntry.publish(theirs, first.directory()));
        assertFalse(Files.exists(theirs), "the losing build folder is removed");
        assertTrue(CacheEntry.verified(first.directory()));
    }

    @Test
    void aBrokenEntryIsReplacedWhenPublishing() throws Exception {
        Path root = CacheDir.secure(tmp.resolve("cache"), NativeBuild.FOLDER);
        Path dir = Files.createDirectory(root.resolve("a".repeat(64)));
        Files.writeString(dir.resolve("module"), "junk");
        Path build = Files.createTempDirectory(root, CacheEntry.buildPrefix());
        Files.writeString(build.resolve("module"), "real");
        CacheEntry.seal(build);
        CacheEntry.publish(build, dir);
        assertEquals("real", Files.readString(dir.resolve("module")));
        assertTrue(CacheEntry.verified(dir));
    }

    @Test
    void buildFoldersOfEndedProcessesAreCleaned() throws Exception {
        Path root = CacheDir.secure(tmp.resolve("cache"), NativeBuild.FOLDER);
        Path dead = Files.createDirectory(root.resolve(CacheEntry.BUILD_PREFIX + Long.MAX_VALUE + "-x"));
        Path mine = Files.createTempDirectory(root, CacheEntry.buildPrefix());
        CacheEntry.cleanStale(root);
        assertFalse(Files.exists(dead));
        assertTrue(Files.exists(mine), "a build folder of a live process stays");
    }
}
