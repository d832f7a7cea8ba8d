<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>My inbox</title></head>
<body>
<h1>My inbox</h1>
<?= herald_inbox() ?: '<p>Sign in to see your notifications.</p>' ?>
</body>
</html>
