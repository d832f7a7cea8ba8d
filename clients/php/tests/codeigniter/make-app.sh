#!/usr/bin/env bash
# Builds a CodeIgniter 4 application that uses this package as Composer would install it:
#   make-app.sh <codeigniter4 framework .tgz (npm package "codeigniter4")> <new app directory>
# The framework's own tree (app/, public/, spark, system/) plus a composer.json that takes
# herald/herald-php from a path repository (clients/php) with Packagist off, so nothing is
# downloaded; then the routes, controller and view of the test page below.
set -euo pipefail
tgz=$1
app=$2
here=$(cd "$(dirname "$0")" && pwd)
package=$(cd "$here/../.." && pwd)

rm -rf "$app"
mkdir -p "$app"
tar -xzf "$tgz" -C "$app" --strip-components=1 package
cat > "$app/composer.json" <<JSON
{
    "name": "herald/codeigniter-test-app",
    "type": "project",
    "require": { "herald/herald-php": "*@dev" },
    "repositories": [
        { "type": "path", "url": "$package", "options": { "symlink": true } },
        { "packagist.org": false }
    ],
    "config": { "allow-plugins": false }
}
JSON
(cd "$app" && COMPOSER_HOME="$app/.composer" composer install --no-interaction --no-progress --quiet)

# CodeIgniter 4.1.3 predates PHP 8.1: its spark raises every deprecation to an exception
# (error_reporting(-1)), and it reads its own arguments with FILTER_SANITIZE_STRING, deprecated
# since PHP 8.1. The app's spark (the app's file, not the framework's) leaves deprecations out,
# as the framework's production boot file does for web requests.
sed -i 's/^error_reporting(-1);/error_reporting(E_ALL \& ~E_DEPRECATED \& ~E_USER_DEPRECATED);/' "$app/spark"
grep -q '~E_DEPRECATED' "$app/spark"

cp -r "$here/app/." "$app/app/"
cat >> "$app/app/Config/Routes.php" <<'PHP'

$routes->get('inbox/(:segment)', 'HeraldInbox::show/$1');
$routes->get('inbox', 'HeraldInbox::mine');
$routes->post('herald/receipts', 'HeraldReceipts::alert');
PHP
printf 'CI_ENVIRONMENT = production\n' > "$app/.env"
