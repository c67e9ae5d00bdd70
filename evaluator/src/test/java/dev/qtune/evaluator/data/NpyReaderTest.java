package dev.qtune.evaluator.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NumPy reader on files written by NumPy 2.4 itself (test resources {@code npy/}, made by
 * {@code np.save}, {@code np.savez}, {@code np.savez_compressed} and {@code write_array} with
 * version 2.0), on the writer's own files, and on broken or hostile ones: each refusal one line
 * naming the file, what was expected and what was found.
 */
class NpyReaderTest {
    @TempDir
    Path dir;

    private static Path fixture(String name) {
        try {
            return Path.of(NpyReaderTest.class.getResource("npy/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String error(Runnable r) {
        DatasetException e = assertThrows(DatasetException.class, r::run);
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void readsWhatNumpyWrites() {
        NpyArray u8 = NpyReader.read(fixture("u8.npy"));
        assertEquals("uint8", u8.dtype());
        assertArrayEquals(new int[] {2, 3, 4}, u8.shape());
        assertEquals(23, u8.bytes()[23]);

        NpyArray be = NpyReader.read(fixture("f4be.npy"));
        assertEquals("float32", be.dtype());
        assertArrayEquals(new float[] {1.5f, -2.25f, 3.0f, 1e-3f}, be.floats());

        NpyArray f8 = NpyReader.read(fixture("f8.npy"));
        assertEquals("float64", f8.dtype());
        assertArrayEquals(new float[] {0.1f, 0.2f, 0.3f}, f8.floats(), "float64 narrowed to float32");

        assertArrayEquals(
                new long[] {7, 2, 1, 0, 4}, NpyReader.read(fixture("i8.npy")).longs());
        assertArrayEquals(
                new long[] {0, 1, 2, 3}, NpyReader.read(fixture("v2.npy")).longs(), "format 2.0, int16");
        NpyArray scalar = NpyReader.read(fixture("scalar.npy"));
        assertEquals(0, scalar.rank());
        assertArrayEquals(new float[] {3}, scalar.floats());
    }

    @Test
    void readsNpzMembersStoredAndDeflated() {
        for (String name : List.of("xy.npz", "xy_compressed.npz")) {
            Path f = fixture(name);
            assertEquals(List.of("x_test", "y_test"), NpyReader.keys(f));
            NpyArray x = NpyReader.read(f, "x_test");
            assertArrayEquals(new int[] {3, 2, 2}, x.shape());
            assertEquals(11, x.bytes()[11]);
            NpyArray y = NpyReader.read(f, "y_test");
            assertEquals("int32", y.dtype());
            assertArrayEquals(new long[] {1, 0, 2}, y.longs());
        }
        assertArrayEquals(
                new int[] {3, 2, 2}, NpyReader.read(fixture("one.npz"), null).shape(), "the only array");
    }

    @Test
    void writesWhatNumpyWrites() throws IOException {
        byte[] numpy = Files.readAllBytes(fixture("u8.npy"));
        byte[] values = new byte[24];
        for (int i = 0; i < 24; i++) {
            values[i] = (byte) i;
        }
        assertArrayEquals(numpy, NpyWriter.bytes(new int[] {2, 3, 4}, values), "byte for byte as np.save");
        assertArrayEquals(
                Files.readAllBytes(fixture("i8.npy")), NpyWriter.bytes(new int[] {5}, new long[] {7, 2, 1, 0, 4}));

        Path f = dir.resolve("out.npy");
        float[] x = {1, -2.5f, Float.MIN_VALUE, 1e30f, 0, 7};
        NpyWriter.write(f, new int[] {2, 3}, x);
        NpyArray back = NpyReader.read(f);
        assertArrayEquals(new int[] {2, 3}, back.shape());
        assertArrayEquals(x, back.floats());

        Path z = dir.resolve("out.npz");
        Map<String, int[]> shapes = new LinkedHashMap<>();
        Map<String, Object> arrays = new LinkedHashMap<>();
        shapes.put("images", new int[] {1, 2, 3});
        arrays.put("images", x);
        shapes.put("labels", new int[] {1});
        arrays.put("labels", new long[] {9});
        NpyWriter.writeNpz(z, shapes, arrays);
        assertEquals(List.of("images", "labels"), NpyReader.keys(z));
        assertArrayEquals(x, NpyReader.read(z, "images").floats());
        assertArrayEquals(new long[] {9}, NpyReader.read(z, "labels").longs());
    }

    @Test
    void refusesWhatItCannotRepresent() {
        Path fortran = fixture("fortran.npy");
        assertTrue(error(() -> NpyReader.read(fortran))
                .startsWith(fortran + ": expected fortran_order False (C order), found True"));
        Path structured = fixture("structured.npy");
        assertEquals(
                structured + ": expected descr to be a plain dtype string such as '<f4', found a structured dtype",
                error(() -> NpyReader.read(structured)));
        Path f16 = fixture("f16.npy");
        assertEquals(
                f16 + ": expected dtype uint8, float32, float64 or an integer type, found float16",
                error(() -> NpyReader.read(f16)));
    }

    @Test
    void namesTheKeysWhenOneIsMissingOrAmbiguous() {
        Path f = fixture("xy.npz");
        assertEquals(
                f + ": expected an array 'images', found arrays 'x_test', 'y_test'",
                error(() -> NpyReader.read(f, "images")));
        assertEquals(
                f + ": expected one array or a key naming one, found arrays 'x_test', 'y_test'",
                error(() -> NpyReader.read(f, null)));
    }

    @Test
    void refusesTruncatedTrailingAndOversizedData() throws IOException {
        byte[] good = NpyWriter.bytes(new int[] {4}, new float[] {1, 2, 3, 4});
        Path cut = Files.write(dir.resolve("cut.npy"), Arrays.copyOf(good, good.length - 3));
        assertEquals(
                cut + ": expected 16 bytes of data (float32 [4]), found 13 (truncated)",
                error(() -> NpyReader.read(cut)));
        Path longer = Files.write(dir.resolve("long.npy"), Arrays.copyOf(good, good.length + 1));
        assertEquals(
                longer + ": expected 16 bytes of data (float32 [4]), found more", error(() -> NpyReader.read(longer)));

        byte[] huge = NpyWriter.header("<f4", new int[] {2_000_000_000, 2_000_000_000, 3});
        Path big = Files.write(dir.resolve("big.npy"), huge);
        String m = error(() -> NpyReader.read(big));
        assertTrue(
                m.startsWith(
                        big + ": expected at most 536870912 elements (2147483648 bytes, raise -Dqtune.limit.data.bytes)"
                                + ", found a header declaring float32 [2000000000, 2000000000, 3]"),
                m);
    }

    @Test
    void refusesBrokenHeadersWithoutEchoingThem() throws IOException {
        Path notNpy = Files.writeString(dir.resolve("text.npy"), "hello, this is not numpy");
        assertEquals(
                notNpy + ": expected the .npy magic \\x93NUMPY, found other bytes",
                error(() -> NpyReader.read(notNpy)));
        String secret = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'SECRET': 'x'}";
        Path extra = Files.write(dir.resolve("extra.npy"), withHeader(secret));
        String m = error(() -> NpyReader.read(extra));
        assertEquals(extra + ": expected header keys descr, fortran_order, shape, found 4 keys", m);
        Path neg = Files.write(
                dir.resolve("neg.npy"), withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }"));
        assertTrue(
                error(() -> NpyReader.read(neg)).startsWith(neg + ": expected a .npy header dict with a non-negative"));
        byte[] v1 = withHeader("{}");
        v1[8] = (byte) 0xff;
        v1[9] = (byte) 0xff;
        Path longHeader = Files.write(dir.resolve("lh.npy"), v1);
        assertEquals(
                longHeader + ": expected a header of 65535 bytes, found end of file after 3 (truncated)",
                error(() -> NpyReader.read(longHeader)));
        byte[] v2 =
                new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f};
        Path hugeHeader = Files.write(dir.resolve("hh.npy"), v2);
        assertEquals(
                hugeHeader + ": expected a header of at most 65536 bytes, found 2147483647",
                error(() -> NpyReader.read(hugeHeader)));
        assertEquals(dir + ": expected a .npy file (a regular file), found a folder", error(() -> NpyReader.read(dir)));
    }

    @Test
    void aDeflateBombStopsAtTheDeclaredSize() throws IOException {
        Path z = dir.resolve("bomb.npz");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(z))) {
            zip.putNextEntry(new ZipEntry("x.npy"));
            zip.write(NpyWriter.header("|u1", new int[] {10}));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 256; i++) {
                zip.write(zeros);
            }
            zip.closeEntry();
        }
        assertEquals(
                z + " (array 'x'): expected 10 bytes of data (uint8 [10]), found more",
                error(() -> NpyReader.read(z, "x")));
        Path broken = Files.writeString(dir.resolve("broken.npz"), "PK\u0003\u0004 and then nothing");
        assertTrue(error(() -> NpyReader.read(broken, "x")).startsWith(broken + ": expected an .npz file"));
    }

    @Test
    void readsFromAStream() throws IOException {
        byte[] b = NpyWriter.bytes(new int[] {2}, new long[] {5, 6});
        assertArrayEquals(
                new long[] {5, 6},
                NpyReader.read(new ByteArrayInputStream(b), "mem").longs());
        assertTrue(NpyReader.isNpy(b));
        assertTrue(NpyReader.isZip(Files.readAllBytes(fixture("xy.npz"))));
    }

    private static byte[] withHeader(String dict) {
        byte[] text = (dict + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[10 + text.length];
        byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) text.length, (byte) (text.length >>> 8)};
        System.arraycopy(magic, 0, out, 0, 10);
        System.arraycopy(text, 0, out, 10, text.length);
        return out;
    }
}
