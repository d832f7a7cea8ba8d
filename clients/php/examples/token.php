<?php
// Mints a user token for a page and prints it (JSON).
//   HERALD_PRODUCER_URL=http://localhost:8080 HERALD_API_KEY=… php token.php alice [ttlSeconds]
declare(strict_types=1);

require __DIR__ . '/../autoload.php'; // or Composer's vendor/autoload.php

use Herald\HeraldClient;
use Herald\HeraldException;

$userId = $argv[1] ?? null;
if ($userId === null) {
    fwrite(STDERR, "usage: php token.php <userId> [ttlSeconds]\n");
    exit(2);
}
$herald = new HeraldClient(getenv('HERALD_PRODUCER_URL') ?: 'http://localhost:8080', (string) getenv('HERALD_API_KEY'));
try {
    echo json_encode($herald->mintToken($userId, (int) ($argv[2] ?? 3600))), "\n";
} catch (HeraldException $e) {
    fwrite(STDERR, "Herald refused ({$e->status}): {$e->getMessage()}\n");
    exit(1);
}
