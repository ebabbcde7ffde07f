# Reference values from R's survey package for the monitor pipeline (tests/pipeline/test_reference.py).
# Input: <questionnaire>_<edition>.csv and <questionnaire>_<edition>_margins.csv written by
# make_reference.py (the pipeline's own weighting input for the seeded demo data: 2024 office
# holders and staff, 2022 office holders). Every R number is labelled with the published figure
# it stands for (variable, population, by, edition) and checked in tests/pipeline/test_reference.py.
# Run from this folder:  Rscript make_reference.R   -> reference.json
# reference.json: one entry per R call, {"call": <the R code>, <quantity>: [values]}; tests name the call.
suppressMessages(library(survey))
library(jsonlite)
options(survey.lonely.psu = "fail")

res <- list()
# run(name, code, ...): evaluate the R code, store its numbers; `...` labels the entry
# (variable, by, population) so the test knows which published figure it is.
run <- function(name, code, ...) {
  val <- eval(parse(text = code), envir = globalenv())
  res[[name]] <<- c(list(call = code), list(...), extract(val))
  invisible(val)
}
extract <- function(x) {
  if (inherits(x, "svyby")) return(list(estimate = unname(coef(x)), se = unname(SE(x)),
                                        domain = as.character(x[[1]])))
  if (inherits(x, "svyciprop")) return(list(estimate = unname(as.numeric(x)), ci = unname(as.vector(attr(x, "ci"))),
                                             se = unname(sqrt(as.vector(attr(x, "var"))))))
  if (inherits(x, "svystat") || inherits(x, "svrepstat") || inherits(x, "svycontrast"))
    return(list(estimate = unname(as.vector(coef(x))), se = unname(as.vector(SE(x)))))
  if (is.numeric(x)) return(list(value = unname(as.vector(x))))
  stop("cannot extract ", class(x))
}

# The pipeline's design: one stage, stratified by target group, FPC = the group's population,
# base weight N_group / n_group; then raking to every group|margin level with calibrate() (not rake()).
read_input <- function(code, year = 2024) {
  d <- read.csv(paste0(code, "_", year, ".csv"), check.names = FALSE, stringsAsFactors = FALSE, na.strings = "")
  names(d) <- sub("^_", "", names(d))
  for (m in c("m_gender", "m_province", "m_size_class")) d[[m]] <- factor(d[[m]])
  d
}
# Population totals in the order of the model matrix columns ("m_gender<level>", ...);
# with -1 the first margin keeps all its levels and the others drop their first (implied by the group total).
population <- function(d, formula, code, year = 2024) {
  margins <- read.csv(paste0(code, "_", year, "_margins.csv"), stringsAsFactors = FALSE)
  key <- paste0(sub("^_", "", margins$margin), margins$level)
  mm <- model.matrix(formula, d)
  stopifnot(all(colnames(mm) %in% key))
  setNames(margins$total[match(colnames(mm), key)], colnames(mm))
}
margin_formula <- ~ -1 + m_gender + m_province + m_size_class

amb <- read_input("ambtsdragers")
mw <- read_input("medewerkers")
pop_amb <- population(amb, margin_formula, "ambtsdragers")
pop_mw <- population(mw, margin_formula, "medewerkers")
des_amb <- svydesign(ids = ~1, strata = ~group, fpc = ~population, weights = ~base, data = amb)
des_mw <- svydesign(ids = ~1, strata = ~group, fpc = ~population, weights = ~base, data = mw)
cal_amb <- calibrate(des_amb, margin_formula, population = pop_amb, calfun = "raking", epsilon = 1e-12, maxit = 100)
cal_mw <- calibrate(des_mw, margin_formula, population = pop_mw, calfun = "raking", epsilon = 1e-12, maxit = 100)
res$respondents_amb <- list(call = "amb$respondent_id", value = amb$respondent_id)
res$respondents_mw <- list(call = "mw$respondent_id", value = mw$respondent_id)

run("weights_amb", "weights(calibrate(des_amb, margin_formula, population = pop_amb, calfun = 'raking', epsilon = 1e-12, maxit = 100))")
run("weights_mw", "weights(calibrate(des_mw, margin_formula, population = pop_mw, calfun = 'raking', epsilon = 1e-12, maxit = 100))")

# Proportions of all respondents and by stratum variables; NA is a domain (na.rm = TRUE keeps the row).
amb_vars <- c("agressie_totaal", "agressie_fysiek", "aangifte", "integriteit_belang")
mw_vars <- c("mw_agressie_totaal", "mw_agressie_fysiek", "mw_integriteit_belang")
for (v in amb_vars) {
  run(paste0("mean_", v), sprintf("svymean(~%s, cal_amb, na.rm = TRUE)", v), variable = v, population = "all")
  for (by in c("role", "group", "gender", "layer"))
    run(paste0("by_", by, "_", v), sprintf("svyby(~%s, ~%s, cal_amb, svymean, na.rm = TRUE)", v, by),
        variable = v, population = "all", by = by)
}
for (v in mw_vars) {
  run(paste0("mean_", v), sprintf("svymean(~%s, cal_mw, na.rm = TRUE)", v), variable = v, population = "all")
  for (by in c("layer", "gender"))
    run(paste0("by_", by, "_", v), sprintf("svyby(~%s, ~%s, cal_mw, svymean, na.rm = TRUE)", v, by),
        variable = v, population = "all", by = by)
}

# Publication populations as domains of the calibrated design (subset keeps every row, weight 0 outside).
domains <- list(
  ambtsdragers = "role %in% c('bestuurder', 'volksvertegenwoordiger')",
  burgemeester = "group == 'burgemeester'",
  burgemeester_vrouw = "group == 'burgemeester' & gender == 'vrouw'",
  cdk = "group == 'cdk'",
  dijkgraaf = "group == 'dijkgraaf'",
  ambtsdragers_vrouw = "role %in% c('bestuurder', 'volksvertegenwoordiger') & gender == 'vrouw'"
)
for (dn in names(domains)) {
  for (v in amb_vars) {
    sub <- sprintf("subset(cal_amb, %s)", domains[[dn]])
    run(paste0("mean_", dn, "_", v), sprintf("svymean(~%s, %s, na.rm = TRUE)", v, sub), variable = v, population = dn)
    run(paste0("ciprop_", dn, "_", v), sprintf("svyciprop(~%s, %s, method = 'beta', na.rm = TRUE)", v, sub),
        variable = v, population = dn)
  }
}
run("by_ambtsdragers_gender_agressie_totaal",
    "svyby(~agressie_totaal, ~gender, subset(cal_amb, role %in% c('bestuurder', 'volksvertegenwoordiger')), svymean, na.rm = TRUE)",
    variable = "agressie_totaal", population = "ambtsdragers", by = "gender")

# Korn-Graubard as svyciprop(method = 'beta') computes it, with the domain's own row count for
# the t-quantile ratio (svyciprop uses nrow(design), which for a subset of a calibrated design is
# the whole sample; for an uncalibrated design, and in Korn & Graubard (1998), it is the domain's rows).
kg <- function(v, design, rows) {
  m <- svymean(as.formula(paste0("~", v)), design, na.rm = TRUE)
  p <- coef(m)[[1]]
  n_eff <- p * (1 - p) / vcov(m)[1, 1] * (qt(0.025, rows - 1) / qt(0.025, degf(design)))^2
  c(qbeta(0.025, n_eff * p, n_eff * (1 - p) + 1), qbeta(0.975, n_eff * p + 1, n_eff * (1 - p)))
}
for (dn in names(domains)) {
  for (v in amb_vars) {
    run(paste0("kg_rows_", dn, "_", v),
        sprintf("kg('%s', subset(cal_amb, %s), sum(with(amb, %s)))", v, domains[[dn]], domains[[dn]]),
        variable = v, population = dn)
    run(paste0("kg_nrow_", dn, "_", v),
        sprintf("kg('%s', subset(cal_amb, %s), nrow(subset(cal_amb, %s)))", v, domains[[dn]], domains[[dn]]),
        variable = v, population = dn)
  }
}

# Zero-filled copies of the indicators (<v>_y) and their "answered" flags (<v>_n), same design and calibration.
amb0 <- amb
for (v in amb_vars) {
  amb0[[paste0(v, "_y")]] <- ifelse(is.na(amb[[v]]), 0, amb[[v]])
  amb0[[paste0(v, "_n")]] <- as.numeric(!is.na(amb[[v]]))
}
amb0$mayor <- as.numeric(amb$group == "burgemeester")
# Women minus men: the difference of two domain means, SE from their joint linearisation.
# svyby(..., covmat = TRUE) + svycontrast is the usual call, but in survey 4.1 it stops on a
# calibrated design ("number of items to replace": a subset of a calibrated design keeps every
# row, so svymean's influence has n rows where svyby expects the domain's). The same quantity is
# the nonlinear contrast of four totals; svyglm(y ~ gender) on the domain is recorded as a check.
# p-value: t statistic on the residual df of svyglm(y ~ gender) on the compared rows with an
# answer (their PSUs minus strata, minus one), two-sided.
amb0$vrouw <- as.numeric(amb$gender == "vrouw")
amb0$man <- as.numeric(amb$gender == "man")
gender_tests <- list(kerncijfers = "TRUE",
                     ambtsdragers = "role %in% c('bestuurder', 'volksvertegenwoordiger')",
                     burgemeester = "group == 'burgemeester'")
for (gn in names(gender_tests)) amb0[[paste0("in_", gn)]] <- as.numeric(with(amb, eval(parse(text = gender_tests[[gn]]))))
cal_amb0 <- calibrate(svydesign(ids = ~1, strata = ~group, fpc = ~population, weights = ~base, data = amb0),
                      margin_formula, population = pop_amb, calfun = "raking", epsilon = 1e-12, maxit = 100)
for (gn in names(gender_tests)) {
  for (v in c("agressie_totaal", "integriteit_belang", "aangifte")) {
    tot <- sprintf("svytotal(~I(%1$s_y * vrouw * in_%2$s) + I(%1$s_n * vrouw * in_%2$s) + I(%1$s_y * man * in_%2$s) + I(%1$s_n * man * in_%2$s), cal_amb0)", v, gn)
    con <- sprintf("quote(`I(%1$s_y * vrouw * in_%2$s)` / `I(%1$s_n * vrouw * in_%2$s)` - `I(%1$s_y * man * in_%2$s)` / `I(%1$s_n * man * in_%2$s)`)", v, gn)
    c_ <- run(paste0("gender_", gn, "_", v), sprintf("svycontrast(%s, %s)", tot, con), variable = v, population = gn)
    glm_call <- sprintf("svyglm(%1$s_y ~ gender, subset(cal_amb0, in_%2$s == 1 & %1$s_n == 1 & gender %%in%% c('vrouw', 'man')))", v, gn)
    fit <- eval(parse(text = glm_call))
    tstat <- coef(c_)[[1]] / SE(c_)[[1]]
    res[[paste0("gender_", gn, "_", v)]]$p_value <- 2 * pt(-abs(tstat), fit$df.residual)
    res[[paste0("gender_", gn, "_", v)]]$df <- fit$df.residual
    res[[paste0("glm_gender_", gn, "_", v)]] <- list(call = glm_call, variable = v, population = gn, estimate = unname(coef(fit)[["gendervrouw"]]),
                                                     se = unname(SE(fit)[["gendervrouw"]]))
  }
}

# Group against all office holders: the exact linearised SE of (group mean - overall mean),
# two overlapping domain means as a nonlinear contrast of totals. The pipeline reports the
# group-vs-rest SE times the rest's weighted share (exact when that share is fixed by calibration).
for (v in amb_vars) {
  tot <- sprintf("svytotal(~I(%1$s_y * mayor) + I(%1$s_n * mayor) + %1$s_y + %1$s_n, cal_amb0)", v)
  run(paste0("vs_all_burgemeester_", v),
      sprintf("svycontrast(%s, quote(`I(%2$s_y * mayor)` / `I(%2$s_n * mayor)` - %2$s_y / %2$s_n))", tot, v),
      variable = v, population = "burgemeester")
}

# This edition against the previous one: independent samples, so the variances add; z test.
amb22 <- read_input("ambtsdragers", 2022)
pop_amb22 <- population(amb22, margin_formula, "ambtsdragers", 2022)
des_amb22 <- svydesign(ids = ~1, strata = ~group, fpc = ~population, weights = ~base, data = amb22)
cal_amb22 <- calibrate(des_amb22, margin_formula, population = pop_amb22, calfun = "raking", epsilon = 1e-12, maxit = 100)
res$respondents_amb22 <- list(call = "amb22$respondent_id", value = amb22$respondent_id)
run("weights_amb22", "weights(calibrate(des_amb22, margin_formula, population = pop_amb22, calfun = 'raking', epsilon = 1e-12, maxit = 100))", edition = 2022)
for (v in amb_vars) {
  run(paste0("mean22_", v), sprintf("svymean(~%s, cal_amb22, na.rm = TRUE)", v), variable = v, population = "all",
      edition = 2022)
  run(paste0("by22_gender_", v), sprintf("svyby(~%s, ~gender, cal_amb22, svymean, na.rm = TRUE)", v),
      variable = v, population = "all", by = "gender", edition = 2022)
  code <- sprintf(paste("local({d <- coef(svymean(~%1$s, cal_amb, na.rm = TRUE)) - coef(svymean(~%1$s, cal_amb22, na.rm = TRUE));",
                        "se <- sqrt(SE(svymean(~%1$s, cal_amb, na.rm = TRUE))^2 + SE(svymean(~%1$s, cal_amb22, na.rm = TRUE))^2);",
                        "c(d, se, 2 * pnorm(-abs(d / se)))})"), v)
  run(paste0("edition_", v), code, variable = v, population = "all")
}

res$r_version <- list(call = "R.version.string; packageVersion('survey')",
                      value = c(R.version.string, as.character(packageVersion("survey"))))
writeLines(toJSON(res, digits = NA, auto_unbox = FALSE, null = "null", na = "null", pretty = TRUE), "reference.json")
