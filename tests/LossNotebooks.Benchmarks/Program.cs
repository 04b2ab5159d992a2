// Placeholder entry point; the suites are built in issue #5.
return 0;
