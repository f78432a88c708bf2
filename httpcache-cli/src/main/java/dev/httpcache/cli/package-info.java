/**
 * The {@code httpcache} command line: {@code httpcache demo} shows the cache at work against a slow
 * local origin, and {@code httpcache get URL} fetches a URL through the cache, curl-like.
 *
 * <pre>{@code
 * $ java -jar httpcache-cli/target/httpcache.jar get -H 'Accept: application/json' https://example.com/
 * }</pre>
 *
 * <p>{@link dev.httpcache.cli.Main} is the entry point; the commands are package-private and run
 * in-process in tests. See {@code docs/cli.md} for every option and the exit codes.
 */
@NullMarked
package dev.httpcache.cli;

import org.jspecify.annotations.NullMarked;
