# Fay-Herriot reference values from R's sae (eblupFH, mseFH; REML, sae's defaults).
# Run from this folder after make_fayherriot.py:  Rscript make_fayherriot.R   -> fayherriot.json
suppressMessages(library(sae))
library(jsonlite)
res <- list()
fit <- function(name, file, formula) {
  d <- read.csv(file, stringsAsFactors = FALSE)
  code <- sprintf("mseFH(%s, vardir, data = read.csv('%s'))", formula, file)
  m <- eval(parse(text = code))
  res[[name]] <<- list(call = code, area = d$area, eblup = as.vector(m$est$eblup), mse = as.vector(m$mse),
                       beta = unname(m$est$fit$estcoef[, "beta"]), beta_se = unname(m$est$fit$estcoef[, "std.error"]),
                       A = m$est$fit$refvar, iterations = m$est$fit$iterations, convergence = m$est$fit$convergence)
}
fit("provinces", "fayherriot_provinces.csv", "direct ~ women + large")
fit("provinces_large", "fayherriot_provinces.csv", "direct ~ large")
fit("sizes", "fayherriot_sizes.csv", "direct ~ women")
write_json(res, "fayherriot.json", digits = NA, auto_unbox = TRUE, pretty = FALSE)
cat("wrote", length(res), "reference entries\n")
