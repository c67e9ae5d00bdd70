package dev.qtune.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every subcommand answers --help, -h and `qtune help NAME` with its usage, exit status 0. */
class HelpTest {
    @Test
    void everySubcommandAnswersHelp() {
        var subcommands = new CommandLine(new QtuneMain()).getSubcommands().keySet();
        assertTrue(subcommands.contains("search") && subcommands.contains("sensitivity"), subcommands.toString());
        for (String name : subcommands) {
            if (name.equals("help")) {
                continue;
            }
            for (String[] args : new String[][] {{name, "--help"}, {name, "-h"}, {"help", name}}) {
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                int status = QtuneMain.run(args, new PrintWriter(out), new PrintWriter(err));
                String shown = String.join(" ", args);
                assertEquals(0, status, shown + ": " + err);
                assertTrue(out.toString().startsWith("Usage: qtune " + name), shown + ": " + out);
                assertFalse(out.toString().contains("Missing required"), shown + ": " + out);
            }
        }
    }
}
