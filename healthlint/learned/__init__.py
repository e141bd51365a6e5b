"""The learned second opinion (``--model``): a linear classifier over hashed word and character
n-grams that scores each health-related sentence for the five claim rules.

Stages, each its own module:
    features  sentence text -> hashed feature indices (standard library only, shared by training)
    weights   the stored weights (numpy, loaded only when the model is on) -> scores
    rule      the rule that runs the model in the pipeline, reusing the engine's context cues
    labels    labeled passages -> labeled sentences (for training and cross-validation)
    train     cross-validation, thresholds and the weights file (scikit-learn, training only)
    plugin    the entry point healthlint's own package declares (group ``healthlint.rules``)
"""
