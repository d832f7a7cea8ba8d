<?php
// For applications without Composer: require this file and every Herald\ class loads from src/.
// With Composer, vendor/autoload.php does the same (PSR-4 "Herald\\" => "src/").
declare(strict_types=1);

spl_autoload_register(static function (string $class): void {
    if (str_starts_with($class, 'Herald\\')) {
        $file = __DIR__ . '/src/' . str_replace('\\', '/', substr($class, strlen('Herald\\'))) . '.php';
        if (is_file($file)) {
            require $file;
        }
    }
});
