// Starts GOV.UK Frontend's components (menus, error summaries, character counts).
window.GOVUKFrontend.initAll();
