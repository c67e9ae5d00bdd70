package dev.qtune.compiler;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.CallableDeclaration;
import com.github.javaparser.ast.body.CompactConstructorDeclaration;
import com.github.javaparser.ast.body.ConstructorDeclaration;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.body.TypeDeclaration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * design.md's rule: no method in {@code *}{@code /src/main/java} of any module over {@value #MAX}
 * lines, except those its table "Methods over 40 lines" lists with a reason. A method's length runs
 * from the first line of its declaration (annotations and Javadoc excluded) to the line of its
 * closing brace; constructors, compact constructors and the methods of nested and anonymous classes
 * count; field initialisers and lambdas do not count on their own.
 */
class MethodLengthTest {
    static final int MAX = 40;
    private static final Path ROOT = Path.of("..");
    private static final Path DESIGN = ROOT.resolve("docs/design.md");
    /** A row of the table: "| 84 | `LibraryHeader.text` | ..."; the name is the first code span. */
    private static final Pattern ROW = Pattern.compile("^\\|\\s*\\d+\\s*\\|\\s*`([^`]+)`");

    @Test
    void noMethodIsLongerThanTheRuleUnlessDesignListsIt() throws IOException {
        Map<String, Integer> tooLong = longMethods();
        List<String> listed = listed();
        List<String> problems = new ArrayList<>();
        tooLong.forEach((name, lines) -> {
            if (!listed.contains(name)) {
                problems.add(name + " has " + lines + " lines, over " + MAX
                        + ": split it, or list it with a reason in docs/design.md (\"Methods over 40 lines\")");
            }
        });
        for (String name : listed) {
            if (!tooLong.containsKey(name)) {
                problems.add(name + " is listed in docs/design.md but is no longer over " + MAX
                        + " lines (or no longer exists): take it off the list");
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** Every method over the limit in the modules' main code: "Type.method" (a constructor: "Type") to its lines. */
    private static Map<String, Integer> longMethods() throws IOException {
        JavaParser parser =
                new JavaParser(new ParserConfiguration().setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17));
        Map<String, Integer> out = new TreeMap<>();
        for (Path file : mainSources()) {
            ParseResult<CompilationUnit> r = parser.parse(file);
            CompilationUnit cu = r.getResult()
                    .filter(u -> r.isSuccessful())
                    .orElseThrow(() -> new AssertionError(file + " does not parse: " + r.getProblems()));
            for (Node n : cu.findAll(Node.class, MethodLengthTest::isCallable)) {
                int lines = lines(n);
                if (lines > MAX) {
                    out.merge(name(n), lines, Math::max);
                }
            }
        }
        return out;
    }

    private static List<Path> mainSources() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> modules = Files.list(ROOT)) {
            for (Path main : modules.map(m -> m.resolve("src/main/java"))
                    .filter(Files::isDirectory)
                    .toList()) {
                try (Stream<Path> s = Files.walk(main)) {
                    s.filter(f -> f.toString().endsWith(".java")).sorted().forEach(files::add);
                }
            }
        }
        assertTrue(!files.isEmpty(), "no */src/main/java sources under " + ROOT.toAbsolutePath());
        return files;
    }

    private static boolean isCallable(Node n) {
        return n instanceof CompactConstructorDeclaration
                || n instanceof ConstructorDeclaration
                || n instanceof MethodDeclaration m && m.getBody().isPresent();
    }

    /** From the first modifier, type parameter, return type or name to the closing brace. */
    static int lines(Node n) {
        List<Node> parts = new ArrayList<>();
        if (n instanceof CallableDeclaration<?> c) {
            parts.addAll(c.getModifiers());
            parts.addAll(c.getTypeParameters());
            parts.add(c.getName());
        }
        if (n instanceof MethodDeclaration m) {
            parts.add(m.getType());
        }
        if (n instanceof CompactConstructorDeclaration c) {
            parts.addAll(c.getModifiers());
            parts.add(c.getName());
        }
        int first = parts.stream()
                .map(p -> p.getBegin().orElseThrow().line)
                .min(Integer::compare)
                .orElseThrow();
        return n.getEnd().orElseThrow().line - first + 1;
    }

    /** "Type.method" by the innermost named type around it; a constructor is its type's name. */
    private static String name(Node n) {
        String type = n.findAncestor(TypeDeclaration.class)
                .map(t -> t.getNameAsString())
                .orElse("?");
        return n instanceof MethodDeclaration m ? type + "." + m.getNameAsString() : type;
    }

    /** The names in design.md's table under "Methods over 40 lines". */
    private static List<String> listed() throws IOException {
        List<String> names = new ArrayList<>();
        boolean inSection = false;
        for (String line : Files.readAllLines(DESIGN)) {
            if (line.startsWith("## ")) {
                inSection = line.equals("## Methods over 40 lines");
            } else if (inSection) {
                Matcher m = ROW.matcher(line);
                if (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        assertTrue(!names.isEmpty(), DESIGN + ": no table under \"## Methods over 40 lines\"");
        return names;
    }
}
