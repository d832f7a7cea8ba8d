package dev.herald.it.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one command of the PHP client's tests (php, phpunit, npm, composer) to its end, its output
 * in files so that a long one never blocks on a full pipe.
 */
final class PhpProcess {

    static final Path PHP = Path.of("/usr/bin/php");
    static final Path CLIENT = Path.of("..", "clients", "php").toAbsolutePath().normalize();

    private PhpProcess() {
    }

    record Result(int exit, String out, String err) {

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    static Result run(Path directory, Map<String, String> environment, long timeoutSeconds, List<String> command)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("php-out", ".txt");
        Path err = Files.createTempFile("php-err", ".txt");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            builder.environment().putAll(environment);
            Process process = builder.start();
            boolean ended = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!ended) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
            assertThat(ended).as("%s ended within %d s", command, timeoutSeconds).isTrue();
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        }
        finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The executable, or an assertion error that says which Debian package brings it. */
    static String require(String executable, String debianPackage) {
        Path path = Path.of("/usr/bin", executable);
        assertThat(Files.isExecutable(path)).as("%s is not installed (Debian package %s; .ci/run installs it)", path, debianPackage).isTrue();
        return path.toString();
    }
}
