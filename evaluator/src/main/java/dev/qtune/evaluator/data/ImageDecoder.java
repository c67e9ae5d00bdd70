package dev.qtune.evaluator.data;

import dev.qtune.compiler.InputLimits;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collections;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes one image file (PNG or JPEG, with the JDK's ImageIO) into unsigned-byte planes, in
 * torchvision's order for PIL images: convert to the spec's channels (RGB, or luma as PIL's
 * {@code convert("L")}: {@code (19595 R + 38470 G + 7471 B + 2^15) >> 16}; alpha dropped, 16-bit
 * samples to their high byte), resize ({@link ImageResize}), centre-crop. The declared size is
 * checked against {@link InputLimits#imagePixels()} before the pixels are decoded.
 */
final class ImageDecoder {
    /** A decoded image: {@code channels} planes of {@code height x width}, NCHW order. */
    record Decoded(int channels, int height, int width, byte[] pixels) {}

    private ImageDecoder() {}

    static Decoded decode(Path file, ImageSpec spec) {
        BufferedImage image = read(file);
        int h = image.getHeight();
        int w = image.getWidth();
        int[][] planes = planes(image, spec.channels());
        if (spec.resizes()) {
            int[] size = resizedSize(file, spec, h, w);
            for (int c = 0; c < planes.length; c++) {
                planes[c] = ImageResize.resize(planes[c], h, w, size[0], size[1]);
            }
            h = size[0];
            w = size[1];
        }
        return crop(file, spec, planes, h, w);
    }

    /** Height and width after image.resize. */
    private static int[] resizedSize(Path file, ImageSpec spec, int h, int w) {
        int[] size = spec.resizeEdge() > 0
                ? ImageResize.edgeSize(h, w, spec.resizeEdge())
                : new int[] {spec.resizeHeight(), spec.resizeWidth()};
        if ((long) size[0] * size[1] > InputLimits.imagePixels()) {
            throw new DatasetException(file + ": expected a resized image of at most " + InputLimits.imagePixels()
                    + " pixels, found " + size[0] + "x" + size[1] + " (raise -D" + InputLimits.IMAGE_PIXELS + ")");
        }
        return size;
    }

    /** The planes of {@code h x w}, center-cropped where image.center_crop says, copied into one NCHW array. */
    private static Decoded crop(Path file, ImageSpec spec, int[][] planes, int h, int w) {
        int top = 0;
        int left = 0;
        int oh = h;
        int ow = w;
        if (spec.crops()) {
            oh = spec.cropHeight();
            ow = spec.cropWidth();
            if (oh > h || ow > w) {
                throw new DatasetException(
                        file + ": expected an image of at least " + oh + "x" + ow + " for image.center_crop"
                                + (spec.resizes() ? " after image.resize" : "") + ", found " + h + "x" + w);
            }
            top = (int) Math.rint((h - oh) / 2.0); // Python's round(): half to even, as torchvision
            left = (int) Math.rint((w - ow) / 2.0);
        }
        byte[] out = new byte[planes.length * oh * ow];
        int o = 0;
        for (int[] plane : planes) {
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    out[o++] = (byte) plane[(y + top) * w + x + left];
                }
            }
        }
        return new Decoded(planes.length, oh, ow, out);
    }

    /** A regular file of at most {@link InputLimits#dataBytes()}. */
    private static void checkFile(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            if (!a.isRegularFile() || a.size() > InputLimits.dataBytes()) {
                throw new DatasetException(
                        file + ": expected an image file of at most " + InputLimits.dataBytes() + " bytes, found "
                                + (a.isRegularFile() ? a.size() + " bytes" : "something that is not a regular file"));
            }
        } catch (NoSuchFileException e) {
            throw new DatasetException("image file not found: " + file);
        } catch (IOException e) {
            throw new DatasetException(
                    file + ": expected a readable image, found an I/O error: " + InputLimits.reason(e), e);
        }
    }

    private static BufferedImage read(Path file) {
        checkFile(file);
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? Collections.emptyIterator() : ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new DatasetException(file + ": expected a PNG or JPEG image, found a file no image reader knows");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > InputLimits.imagePixels()) {
                    throw new DatasetException(file + ": expected an image of at most " + InputLimits.imagePixels()
                            + " pixels, found " + reader.getWidth(0) + "x" + reader.getHeight(0) + " declared (raise -D"
                            + InputLimits.IMAGE_PIXELS + ")");
                }
                BufferedImage image = reader.read(0);
                if (image.getWidth() < 1 || image.getHeight() < 1) {
                    throw new DatasetException(file + ": expected an image of at least 1x1 pixels, found an empty one");
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (DatasetException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // decoders throw I/O and runtime errors alike on damaged files; their own words, shortened, say why
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : InputLimits.excerpt(e.getMessage());
            throw new DatasetException(
                    file + ": expected a readable PNG or JPEG image, found a damaged or unsupported one (" + why + ")",
                    e);
        }
    }

    /** The image as {@code channels} planes of values 0..255. */
    private static int[][] planes(BufferedImage image, int channels) {
        int h = image.getHeight();
        int w = image.getWidth();
        Raster r = image.getRaster();
        int bands = r.getNumBands();
        boolean indexed = image.getColorModel() instanceof IndexColorModel;
        int[][] rgb = new int[indexed || bands >= 3 ? 3 : 1][h * w];
        int bits = r.getSampleModel().getSampleSize(0);
        int shift = Math.max(0, bits - 8);
        int spread = bits < 8 ? 255 / ((1 << bits) - 1) : 1; // 1-, 2- and 4-bit grey to 0..255, as PIL
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (indexed) {
                    int argb = image.getColorModel().getRGB(r.getSample(x, y, 0));
                    rgb[0][i] = argb >> 16 & 0xff;
                    rgb[1][i] = argb >> 8 & 0xff;
                    rgb[2][i] = argb & 0xff;
                } else {
                    for (int c = 0; c < rgb.length; c++) {
                        rgb[c][i] = Math.min(255, (r.getSample(x, y, c) >> shift) * spread);
                    }
                }
            }
        }
        if (channels == rgb.length) {
            return rgb;
        }
        if (channels == 3) {
            return new int[][] {rgb[0], rgb[0].clone(), rgb[0].clone()};
        }
        int[] luma = new int[h * w];
        for (int i = 0; i < luma.length; i++) {
            luma[i] = (rgb[0][i] * 19595 + rgb[1][i] * 38470 + rgb[2][i] * 7471 + 0x8000) >> 16;
        }
        return new int[][] {luma};
    }
}
