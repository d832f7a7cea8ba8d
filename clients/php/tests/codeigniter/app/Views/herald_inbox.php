<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Inbox of <?= esc($userId) ?></title></head>
<body>
<h1>Inbox</h1>
<?= herald_inbox($userId, ['data-test' => 'inbox "quoted" & <escaped>']) ?>
</body>
</html>
