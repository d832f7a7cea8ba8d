<?php

declare(strict_types=1);

namespace Herald\CodeIgniter;

use CodeIgniter\CodeIgniter;

/**
 * A command's exit status. CodeIgniter 4.3 and later exit with the int that run() returns; before
 * that, spark ignored it and always exited 0, so a failure there exits at once.
 */
final class ExitStatus
{
    public static function code(int $status): int
    {
        if ($status !== 0 && version_compare(CodeIgniter::CI_VERSION, '4.3.0', '<')) {
            exit($status);
        }
        return $status;
    }
}
