-- Deterministic random numbers for the generator: a hash of the seed, a stream name and the
-- row's coordinates, so the same seed gives the same data whatever the thread count.
CREATE OR REPLACE TEMP MACRO rnd(seed, stream, a, b, c := 0) AS
    ((hash(seed, stream, a, b, c) >> 11)::DOUBLE / 9007199254740992.0);
CREATE OR REPLACE TEMP MACRO rnorm(seed, stream, a, b, c := 0) AS
    (sqrt(-2 * ln(1 - rnd(seed, stream || ':1', a, b, c)))
     * cos(2 * pi() * rnd(seed, stream || ':2', a, b, c)));
-- binomial(n, p) as a sum of n Bernoulli draws; n is small (children in a household)
CREATE OR REPLACE TEMP MACRO rbinom(seed, stream, a, b, n, p) AS
    (coalesce(list_sum(list_transform(range(n::BIGINT),
                                     lambda i: (rnd(seed, stream, a, b, i) < p)::INTEGER)), 0)::INTEGER);
