<?php

declare(strict_types=1);

namespace Herald\CodeIgniter;

use CodeIgniter\CLI\CLI;
use CodeIgniter\CodeIgniter;

/** What the Herald spark commands need to behave alike on every CodeIgniter 4 release. */
final class CommandSupport
{
    /**
     * The command's positional arguments as typed. Before 4.1.5, CodeIgniter passed commands its
     * arguments through FILTER_SANITIZE_STRING (a title "It's <here>" arrived as "It&#39;s "): when
     * spark runs this very command, the arguments are read from the command line instead.
     *
     * @param array<int|string, mixed> $params what run() was given
     * @return list<string>
     */
    public static function arguments(string $command, array $params): array
    {
        $segments = CLI::getSegments();
        if (($segments[0] ?? null) === $command) {
            return array_values(array_map('strval', array_slice($segments, 1)));
        }
        return array_values(array_map('strval', array_filter($params, 'is_int', ARRAY_FILTER_USE_KEY)));
    }

    /**
     * What run() returns for an exit status. CodeIgniter 4.3 and later exit with the int run()
     * returns; before, spark exited 400 for any number returned and 0 for nothing, so there a
     * failure exits at once and success returns nothing.
     */
    public static function exit(int $status): ?int
    {
        if (version_compare(CodeIgniter::CI_VERSION, '4.3.0', '>=')) {
            return $status;
        }
        if ($status !== 0) {
            exit($status);
        }
        return null;
    }
}
