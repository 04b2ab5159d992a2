// Placeholder entry point; the commands (run, check, figures) are built in issue #3.
return 0;
